import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option } from 'commander';
import { createKernel, type Kernel, loadHostConfig } from '../../kernel/index.js';
import type { CliIO } from '../cli-io.js';
import { prepareFollower } from '../host/prepare-follower.js';
import { type AdapterName, listen } from '../host/serve-kernel.js';
import { shutdownSignal } from '../host/shutdown-signal.js';
import { renderBoot } from '../render/render-boot.js';
import type { AddCommand } from './index.js';

/** The example host shipped with Modu (compiled into dist/ next to the CLI). */
const exampleConfig = fileURLToPath(new URL('../../fixtures/example/modu.yaml', import.meta.url));

interface StartOptions {
  readonly config?: string;
  readonly follow?: string;
  readonly registry?: string;
  readonly maxUnavailable?: number;
  readonly hostId?: string;
  readonly plugins?: string;
  readonly adapter?: AdapterName;
  readonly host?: string;
  readonly port?: number;
}

/** --config, else ./modu.yaml, else the bundled example app. */
export async function configFile(io: CliIO, option: string | undefined): Promise<string> {
  if (option !== undefined) return resolve(io.cwd, option);
  const local = resolve(io.cwd, 'modu.yaml');
  return (await access(local).then(
    () => true,
    () => false,
  ))
    ? local
    : exampleConfig;
}

/** Stops the plugins while the server drains, and prints how it went. */
export async function stopGracefully(
  kernel: Kernel,
  close: (graceMs: number) => Promise<void>,
  io: CliIO,
): Promise<void> {
  const stopped = kernel.stop();
  await close(10_000);
  const report = await stopped;
  io.stdout.write(
    `modu: stopped in ${Math.round(report.durationMs)} ms${report.ok ? '' : ` with ${report.errors.length} error(s)`}\n`,
  );
}

/** `modu start`: a real host serving a plugins folder on Express or Koa until SIGINT or SIGTERM. */
export const addStartCommand: AddCommand = (program, io) => {
  program
    .command('start')
    .description('serve plugins over HTTP (with no flags: ./modu.yaml, else the bundled example app)')
    .option('--config <file>', 'host config (default: ./modu.yaml, else the example app)')
    .option('--plugins <dir>', 'plugins folder, instead of the config pluginDirs')
    .addOption(new Option('--adapter <name>', 'HTTP framework').choices(['express', 'koa']))
    .option('--host <address>', 'address to listen on')
    .option('--port <n>', 'port to listen on (0 picks a free one)', (v) => Number.parseInt(v, 10))
    .option('--follow <channel>', 'install, serve and keep following the current revision of a channel')
    .option(
      '--registry <address>',
      'with --follow: registry folder or postgres:// address (default: registry of the config)',
    )
    .option('--max-unavailable <n>', 'with --follow: hosts applying a revision at once (default 1)', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--host-id <id>', 'with --follow: this host in heartbeats (default: hostname-pid)')
    .action(async (options: StartOptions) => {
      const file = await configFile(io, options.config);
      const { config } = await loadHostConfig(file, io.env);
      const pluginDirs = options.plugins === undefined ? config.pluginDirs : [resolve(io.cwd, options.plugins)];
      const follower =
        options.follow === undefined
          ? undefined
          : await prepareFollower(io, {
              ...options,
              follow: options.follow,
              registry: options.registry ?? config.registry,
              pluginsDir: pluginDirs[0] ?? resolve(io.cwd, 'plugins'),
            });
      const kernel = createKernel({ ...config, pluginDirs, source: file, env: io.env });
      const report = await kernel.start();
      const adapter = options.adapter ?? config.adapter ?? 'express';
      const server = await listen(
        adapter,
        kernel.http,
        options.host ?? config.host ?? '127.0.0.1',
        options.port ?? config.port ?? 3000,
      );
      io.stdout.write(renderBoot(report, kernel.routes(), { adapter, url: server.url, config: file }));
      const following = await follower?.follow(kernel, server.url);
      const signal = await shutdownSignal();
      io.stdout.write(`modu: ${signal}, draining requests and stopping plugins\n`);
      await following?.stop();
      await stopGracefully(kernel, (grace) => server.close(grace), io);
    });
};
