import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where scripts/node-versions.mjs installs the Node majors the suite is tested on. */
const nodeCache = process.env.MODU_NODE_CACHE ?? fileURLToPath(new URL('../../.cache/node/', import.meta.url));

/** A Node to run a benchmark's children on: a label for the figures and its binary. */
export interface NodeBinary {
  readonly label: string;
  readonly path: string;
}

/** The Nodes to measure on: this one, then each tested major installed in the cache (MODU_NODE_CACHE). */
export function nodeVersions(): NodeBinary[] {
  const found = [{ label: `this Node (${process.versions.node})`, path: process.execPath }];
  for (const major of ['24', '26']) {
    const path = join(nodeCache, major, 'bin', 'node');
    if (existsSync(path)) found.push({ label: `Node ${major}`, path });
    else console.log(`Node ${major}: not installed; node scripts/node-versions.mjs installs it`);
  }
  return found;
}
