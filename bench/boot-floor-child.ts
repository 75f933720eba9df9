// The floor under a boot, in a fresh process: the least any kernel built on Modu's contracts does per plugin, and
// nothing more. It lists each plugin folder and parses its plugin.yaml (16 at a time), imports each entry through
// the least module hook Node allows (16 at a time), then gives each plugin, in dependency order, a child
// Inversify container with its own service and its dependencies' services and builds its singleton. No validation,
// scan, capability check, config, graph report, lifecycle hooks, events or routes. Prints the time as JSON.
// Run by bench/boot.ts, which sets the kernel's boot against it.
import 'reflect-metadata';
import { readdir, readFile } from 'node:fs/promises';
import nodeModule from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Container } from 'inversify';
import { load as parseYaml } from 'js-yaml';
import { pluginApi } from '../kernel/loader/module-gate/plugin-api.js';
import { providePluginApi } from '../kernel/loader/module-gate/plugin-api-slot.js';

interface FloorPlugin {
  readonly name: string;
  readonly root: string;
  dependencies: string[];
  services: Record<string, { factory: (context: { use: (token: string) => unknown }) => unknown }>;
}

async function eachAtMost16<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let item = items[next++]; item !== undefined; item = items[next++]) await work(item);
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

const [dir] = process.argv.slice(2) as [string];
providePluginApi(pluginApi);
const moduURL = new URL('../kernel/loader/module-gate/plugin-modu.js', import.meta.url).href;
const pluginsURL = `${pathToFileURL(dir).href}/`;
const hooks = new URL('./boot-floor-hooks.js', import.meta.url);
// In-thread where Node has module.registerHooks (22.15+), as the module gate: else on the hooks thread.
const { registerHooks } = nodeModule as unknown as { registerHooks?: (hooks: object) => void };
if (registerHooks === undefined) nodeModule.register(hooks, { data: { moduURL, pluginsURL } });
else {
  const floorHooks = (await import(hooks.href)) as typeof import('./boot-floor-hooks.js');
  floorHooks.initialize({ moduURL, pluginsURL });
  registerHooks({ resolve: floorHooks.resolve, load: floorHooks.load });
}
await import(moduURL);

const began = performance.now();
const plugins: FloorPlugin[] = (await readdir(dir)).map((name) => ({
  name,
  root: join(dir, name),
  dependencies: [],
  services: {},
}));
await eachAtMost16(plugins, async (plugin) => {
  const [, text] = await Promise.all([readdir(plugin.root), readFile(join(plugin.root, 'plugin.yaml'), 'utf8')]);
  const manifest = parseYaml(text) as { dependencies?: Record<string, string> };
  plugin.dependencies = Object.keys(manifest.dependencies ?? {});
});
await eachAtMost16(plugins, async (plugin) => {
  const namespace = (await import(pathToFileURL(join(plugin.root, 'index.js')).href)) as {
    default: { services: FloorPlugin['services'] };
  };
  plugin.services = namespace.default.services;
});
const byName = new Map(plugins.map((plugin) => [plugin.name, plugin]));
const root = new Container();
const containers = new Map<string, Container>();
const load = async (plugin: FloorPlugin): Promise<void> => {
  if (containers.has(plugin.name)) return;
  for (const dependency of plugin.dependencies) await load(byName.get(dependency) as FloorPlugin);
  const container = new Container({ parent: root, defaultScope: 'Singleton' });
  const context = { use: (token: string) => container.get(token) };
  for (const [service, { factory }] of Object.entries(plugin.services)) {
    container
      .bind(`${plugin.name}/${service}`)
      .toDynamicValue(() => factory(context))
      .inSingletonScope();
  }
  for (const dependency of plugin.dependencies) {
    const owner = containers.get(dependency) as Container;
    const token = `${dependency}/Value`;
    container.bind(token).toDynamicValue(() => owner.get(token));
  }
  for (const service of Object.keys(plugin.services)) await container.getAsync(`${plugin.name}/${service}`);
  containers.set(plugin.name, container);
};
for (const plugin of plugins) await load(plugin);
console.log(JSON.stringify({ ms: performance.now() - began, started: containers.size }));
