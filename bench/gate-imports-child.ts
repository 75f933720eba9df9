// Imports every module of one folder in a fresh process, as a restarted host does: with the module gate (each
// folder admitted, then imported through it) or with plain import(). Prints the time as JSON on stdout.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleGate, scanPlugin } from '../kernel/index.js';

const [dir, mode] = process.argv.slice(2) as [string, 'gate' | 'plain'];
const folders = (await readdir(dir)).map((name) => join(dir, name));
const gate = mode === 'gate' ? moduleGate() : undefined;
// Approvals come from scans, as the kernel's come from its code check; the scans are not what is measured.
const scans = gate ? await Promise.all(folders.map((root) => scanPlugin(root))) : [];
const began = performance.now();
await Promise.all(folders.map((root) => gate?.admit({ name: root, root, granted: [] })));
await Promise.all(folders.map((root, i) => (scans[i] ? gate?.approve(root, scans[i]) : undefined)));
let next = 0;
const importNext = async (): Promise<void> => {
  for (let root = folders[next++]; root !== undefined; root = folders[next++]) {
    const entry = join(root, 'index.js');
    await (gate ? gate.importEntry(entry, 1) : import(pathToFileURL(entry).href));
  }
};
// As the kernel imports ahead of the load waves: 16 at a time.
await Promise.all(Array.from({ length: 16 }, importNext));
console.log(JSON.stringify({ ms: performance.now() - began }));
