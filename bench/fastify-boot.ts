import { execFile, spawnSync } from 'node:child_process';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchRoot, type GeneratedPlugin, randomDag, removeGenerated, writePlugins } from './generate-plugins.js';
import { median } from './median.js';
import { nodeVersions } from './node-versions.js';

const run_ = promisify(execFile);
const moduChild = fileURLToPath(new URL('./boot-child.js', import.meta.url));
const fastifyChild = fileURLToPath(new URL('./fastify-boot-child.js', import.meta.url));
const count = 1_000;
/** The package's node_modules: the Fastify plugin files import fastify-plugin, as an app's plugins do. */
const packages = fileURLToPath(new URL('../../node_modules', import.meta.url));
const rounds = 5;

/** The same DAG as a Modu plugin: one service using its dependencies' services, and one route. */
function moduPlugin({ name, dependencies }: GeneratedPlugin): GeneratedPlugin {
  const uses = dependencies.map((d) => `use('${d}/Value')`).join(', ');
  const service = `Value: { factory: ({ use }) => ({ id: '${name}', deps: [${uses}].length }) }`;
  const route = `{ method: 'GET', path: '/', handler: () => ({ id: '${name}' }) }`;
  return { name, dependencies, definition: `{ services: { ${service} }, routes: [${route}] }` };
}

/** The same DAG as a Fastify plugin file: a decorator reading its dependencies' decorators, and one route. */
function fastifySource({ name, dependencies }: GeneratedPlugin): string {
  const uses = dependencies.map((d) => `app.${d}`).join(', ');
  return `import fp from 'fastify-plugin';
export default fp(async (app) => {
  app.decorate('${name}', { id: '${name}', deps: [${uses}].length });
  app.get('/${name}', async () => ({ id: '${name}' }));
}, { name: '${name}', fastify: '5.x', dependencies: ${JSON.stringify(dependencies)} });
`;
}

/** Writes both sides under one folder whose package.json makes every .js an ES module. */
async function writeBoth(): Promise<{ modu: string; fastify: string }> {
  const dag = randomDag(count, 3);
  await mkdir(benchRoot, { recursive: true });
  await writeFile(join(benchRoot, 'package.json'), '{ "type": "module" }\n');
  // The generated folder lies outside the package (as a host's plugins folder does): link its packages in.
  await rm(join(benchRoot, 'node_modules'), { force: true });
  await symlink(packages, join(benchRoot, 'node_modules'), 'dir');
  const fastify = join(benchRoot, 'fastify-1000');
  await rm(fastify, { recursive: true, force: true });
  await mkdir(fastify, { recursive: true });
  await Promise.all(dag.map((plugin) => writeFile(join(fastify, `${plugin.name}.js`), fastifySource(plugin))));
  // writePlugins waits until the files are settled, for both sides.
  const modu = await writePlugins('modu-1000', dag.map(moduPlugin));
  return { modu, fastify };
}

interface Boot {
  readonly ms: number;
  readonly cpuMs: number;
}

/** One side of the comparison: a child script, the folder it boots, and its environment. */
interface Side {
  readonly child: string;
  readonly dir: string;
  readonly env?: NodeJS.ProcessEnv;
}

async function boot(node: string, { child, dir, env }: Side): Promise<Boot> {
  const options = { maxBuffer: 1 << 20, env: { ...process.env, ...env } };
  const { stdout } = await run_(node, [child, dir, String(count)], options);
  const { ms, cpuMs, started } = JSON.parse(stdout) as Boot & { started: number };
  if (started !== count) throw new Error(`${child}: only ${started} of ${count} plugins started`);
  return { ms, cpuMs };
}

/** One warm-up of each side, then `rounds` boots of each, interleaved; the medians of each side. */
async function interleaved(node: string, sides: readonly Side[]): Promise<Boot[]> {
  for (const side of sides) await boot(node, side);
  const runs: Boot[][] = sides.map(() => []);
  for (let i = 0; i < rounds; i++) {
    for (const [k, side] of sides.entries()) runs[k]?.push(await boot(node, side));
  }
  return runs.map((boots) => ({ ms: median(boots.map((b) => b.ms)), cpuMs: median(boots.map((b) => b.cpuMs)) }));
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

function hasCompileCache(node: string): boolean {
  const script = "process.stdout.write(typeof require('node:module').enableCompileCache)";
  return spawnSync(node, ['-e', script], { encoding: 'utf8' }).stdout === 'function';
}

/**
 * Boot of the same 1,000-plugin random DAG (about three dependencies each, one service or decorator and one route
 * per plugin) from plugin files on disk: Modu, discovery to all started (bench/boot-child.ts, as the boot benchmark),
 * against Fastify 5 with @fastify/autoload and fastify-plugin dependencies, Fastify() to ready(). Each boot in a
 * fresh process, one warm-up each, then five of each interleaved (and, where Node has a compile cache, Modu with it
 * on); medians of the wall time and of the CPU time (all threads: the wall time alone swings with the load of a
 * shared machine), on this Node and on Node 24 and 26.
 */
export async function run(): Promise<void> {
  const { modu, fastify } = await writeBoth();
  for (const { label, path } of nodeVersions()) {
    // The same kernel with Node's compile cache on (22.1+), as a host turns it on: what it would buy the boot.
    const sides: Side[] = [
      { child: moduChild, dir: modu },
      { child: fastifyChild, dir: fastify },
    ];
    const compileCache = join(benchRoot, 'compile-cache');
    if (hasCompileCache(path)) sides.push({ child: moduChild, dir: modu, env: { NODE_COMPILE_CACHE: compileCache } });
    const [m, f, cached] = (await interleaved(path, sides)) as [Boot, Boot, Boot | undefined];
    console.log(
      `${label.padEnd(24)} boot of ${count} plugins: Modu ${ms(m.ms)}, Fastify ${ms(f.ms)}, Modu ÷ Fastify ${(m.ms / f.ms).toFixed(2)}; CPU time: Modu ${ms(m.cpuMs)}, Fastify ${ms(f.cpuMs)}, Modu ÷ Fastify ${(m.cpuMs / f.cpuMs).toFixed(2)}`,
    );
    if (cached === undefined) continue;
    console.log(
      `${''.padEnd(24)} Modu with NODE_COMPILE_CACHE ÷ without: ${(cached.ms / m.ms).toFixed(2)} (CPU time ${(cached.cpuMs / m.cpuMs).toFixed(2)})`,
    );
  }
  await removeGenerated();
}
