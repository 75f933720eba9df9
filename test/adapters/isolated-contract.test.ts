// The adapter contract suite on both adapters with its plugins isolated: each in a process of its own.
import { adapterContract } from './adapter-contract.js';
import { isolated } from './contract-tiers.js';
import { adapters } from './servers.js';

for (const [name, serve] of adapters) adapterContract(name, serve, isolated());
