import { adapterContract } from './adapter-contract.js';
import { ownershipContract } from './ownership-contract.js';
import { serveKoa } from './servers.js';

adapterContract('koa', serveKoa);
ownershipContract('koa', serveKoa);
