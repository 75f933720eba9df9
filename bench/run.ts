/**
 * `npm run bench`: runs each benchmark in turn and prints its figures; `npm run bench -- boot`
 * runs only those named. Figures are ratios measured side by side in one run.
 */
const benchmarks: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  boot: () => import('./boot.js'),
  'gate-imports': () => import('./gate-imports.js'),
  'parallel-loading': () => import('./parallel-loading.js'),
  registry: () => import('./registry.js'),
  reload: () => import('./reload.js'),
  'route-overhead': () => import('./route-overhead.js'),
  scanner: () => import('./scanner.js'),
};

const wanted = process.argv.slice(2);
for (const [name, load] of Object.entries(benchmarks)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n# ${name}`);
  await (await load()).run();
}
