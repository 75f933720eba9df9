import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: runs each benchmark in turn, each in a fresh process so that none inherits another's heap, and
 * prints its figures; `npm run bench -- boot` runs only those named, in this process. Figures are ratios measured
 * side by side in one run.
 */
const benchmarks: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  boot: () => import('./boot.js'),
  facades: () => import('./facades.js'),
  'fastify-boot': () => import('./fastify-boot.js'),
  'fleet-deploy': () => import('./fleet-deploy.js'),
  'gate-imports': () => import('./gate-imports.js'),
  isolation: () => import('./isolation.js'),
  'parallel-loading': () => import('./parallel-loading.js'),
  registry: () => import('./registry.js'),
  'registry-backends': () => import('./registry-backends.js'),
  reload: () => import('./reload.js'),
  'reload-under-load': () => import('./reload-under-load.js'),
  'route-overhead': () => import('./route-overhead.js'),
  scanner: () => import('./scanner.js'),
  'scanner-memory': () => import('./scanner-memory.js'),
};

const wanted = process.argv.slice(2);
if (wanted.length === 0) {
  for (const name of Object.keys(benchmarks)) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: 'inherit' });
    if (child.status !== 0) process.exitCode = 1;
  }
} else {
  const unknown = wanted.filter((name) => !(name in benchmarks));
  if (unknown.length > 0)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(benchmarks).join(', ')}`);
  for (const [name, load] of Object.entries(benchmarks)) {
    if (!wanted.includes(name)) continue;
    console.log(`\n# ${name}`);
    await (await load()).run();
  }
}
