import { access, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option } from 'commander';
import yaml from 'js-yaml';
import { createKernel, type Kernel, ModuError, type PluginSnapshot } from '../../kernel/index.js';
import { hostConfigFor } from '../host/host-config-for.js';
import { watchPluginFolders } from '../host/plugin-watcher.js';
import { type AdapterName, listen } from '../host/serve-kernel.js';
import { shutdownSignal } from '../host/shutdown-signal.js';
import { renderBoot } from '../render/render-boot.js';
import type { AddCommand } from './index.js';
import { stopGracefully } from './start.js';

interface DevOptions {
  readonly config?: string;
  readonly plugins?: string;
  readonly adapter?: AdapterName;
  readonly port?: number;
}

/** The plugin name a folder's plugin.yaml declares, or undefined when it has none (yet). */
async function nameIn(folder: string): Promise<string | undefined> {
  try {
    const manifest = yaml.load(await readFile(join(folder, 'plugin.yaml'), 'utf8')) as { name?: unknown } | null;
    return typeof manifest?.name === 'string' ? manifest.name : undefined;
  } catch {
    return undefined;
  }
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

const others = (snapshots: readonly PluginSnapshot[], name: string) => {
  const rest = snapshots.filter((s) => s.name !== name).map((s) => s.name);
  return rest.length === 0 ? '' : ` (with ${rest.join(', ')})`;
};

/** Loads the plugins skipped because `name` could not run, now that it runs; returns those that started. */
async function loadSkippedDependents(kernel: Kernel, name: string): Promise<string[]> {
  const started: string[] = [];
  const waiting = kernel
    .snapshot()
    .filter((plugin) => plugin.state === 'skipped' && plugin.failure?.error.details?.dependency === name);
  for (const plugin of waiting) {
    if ((await kernel.load(plugin.name)).state !== 'started') continue;
    started.push(plugin.name, ...(await loadSkippedDependents(kernel, plugin.name)));
  }
  return started;
}

/**
 * What a change to one plugin folder means: a started plugin is reloaded (with its dependents), one that is not
 * running is loaded, a new folder is loaded, a removed one unloaded. Resolves to the line to print.
 */
async function applyChange(kernel: Kernel, folder: string): Promise<string | undefined> {
  const known = kernel.snapshot().find((plugin) => resolve(plugin.root) === resolve(folder));
  const present = await exists(join(folder, 'plugin.yaml'));
  const name = known?.name ?? (present ? await nameIn(folder) : undefined);
  if (name === undefined) return undefined;
  const began = performance.now();
  const ms = () => `${Math.round(performance.now() - began)} ms`;
  try {
    if (!present) {
      if (known === undefined || !['started', 'loaded'].includes(known.state)) return undefined;
      return `unloaded ${name}${others(await kernel.unload(name), name)} in ${ms()}`;
    }
    if (known?.state === 'started') return `reloaded ${name}${others(await kernel.reload(name), name)} in ${ms()}`;
    const loaded = await kernel.load(name);
    if (loaded.failure !== undefined) return `${name} ${loaded.state} in ${ms()}: ${loaded.failure.error.message}`;
    const dependents = await loadSkippedDependents(kernel, name);
    return `loaded ${name}${dependents.length === 0 ? '' : ` (with ${dependents.join(', ')})`} in ${ms()}`;
  } catch (error) {
    const message = ModuError.is(error) ? `${error.code}: ${error.message}` : String(error);
    return `${name} failed in ${ms()}: ${message}`;
  }
}

/** `modu dev`: `modu start` that watches the plugin folders and reloads what changed. */
export const addDevCommand: AddCommand = (program, io) => {
  program
    .command('dev')
    .description('serve plugins and reload each one (and its dependents) when its files change')
    .option('--config <file>', 'host config (default: ./modu.yaml; with --plugins alone, Modu defaults)')
    .option('--plugins <dir>', 'plugins folder, instead of the config pluginDirs')
    .addOption(new Option('--adapter <name>', 'HTTP framework').choices(['express', 'koa']))
    .option('--port <n>', 'port to listen on (0 picks a free one)', (v) => Number.parseInt(v, 10))
    .action(async (options: DevOptions) => {
      const { source: file, config } = await hostConfigFor(io, options);
      const pluginDirs = options.plugins === undefined ? config.pluginDirs : [resolve(io.cwd, options.plugins)];
      const kernel = createKernel({ ...config, pluginDirs, source: file, env: io.env });
      const report = await kernel.start();
      const adapter = options.adapter ?? config.adapter ?? 'express';
      const server = await listen(
        adapter,
        kernel.http,
        config.host ?? '127.0.0.1',
        options.port ?? config.port ?? 3000,
      );
      io.stdout.write(renderBoot(report, kernel.routes(), { adapter, url: server.url, config: file }));
      let changes = Promise.resolve();
      const watcher = await watchPluginFolders(pluginDirs, {
        onChange: (folder) => {
          changes = changes.then(async () => {
            const line = await applyChange(kernel, folder);
            if (line !== undefined) io.stdout.write(`modu dev: ${line}\n`);
          });
        },
      });
      io.stdout.write(`modu dev: watching ${pluginDirs.join(', ')}\n`);
      const signal = await shutdownSignal();
      watcher.close();
      io.stdout.write(`modu: ${signal}, draining requests and stopping plugins\n`);
      await changes;
      await stopGracefully(kernel, (grace) => server.close(grace), io);
    });
};
