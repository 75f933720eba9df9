import { adapterContract } from './adapter-contract.js';
import { ownershipContract } from './ownership-contract.js';
import { serveExpress } from './servers.js';

adapterContract('express', serveExpress);
ownershipContract('express', serveExpress);
