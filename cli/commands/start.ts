import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { createKernel, type Kernel, ModuError, type NeutralHandler, problemResponse } from '../../kernel/index.js';
import type { CliIO } from '../cli-io.js';
import '../errors.js';
import { withAccessLog } from '../host/access-log.js';
import { cliLogger } from '../host/cli-logger.js';
import { hostConfigFor } from '../host/host-config-for.js';
import { prepareFollower } from '../host/prepare-follower.js';
import { type AdapterName, type Listening, listen } from '../host/serve-kernel.js';
import { shutdownSignal } from '../host/shutdown-signal.js';
import { renderBoot } from '../render/render-boot.js';
import type { AddCommand } from './index.js';

interface StartOptions {
  readonly config?: string;
  readonly follow?: string;
  readonly registry?: string;
  readonly maxUnavailable?: number;
  readonly hostId?: string;
  readonly requireSignatures?: boolean;
  readonly trustedKey?: readonly string[];
  readonly plugins?: string;
  readonly adapter?: AdapterName;
  readonly host?: string;
  readonly port?: number;
  readonly verbose?: boolean;
  readonly json?: boolean;
}

/** `--port`: an integer 0-65535, else a usage error (exit 2) before anything starts. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535.');
  return port;
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

/** Listens before any plugin starts, so that a port in use costs no plugin a start and a stop. */
async function listenFirst(adapter: AdapterName, handler: NeutralHandler, host: string, port: number) {
  try {
    return await listen(adapter, handler, host, port);
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw cause;
    throw new ModuError('MODU_CLI_PORT_IN_USE', `Port ${port} on ${host} is in use; no plugin was started.`, {
      details: { host, port },
      cause,
    });
  }
}

/** Until the plugins started, every request gets a 503 problem rather than a 404 from an empty route table. */
function whenStarted(handler: NeutralHandler): { handler: NeutralHandler; open(): void } {
  let started = false;
  const booting = (path: string) =>
    problemResponse(
      'MODU_PLUGIN_UNAVAILABLE',
      'The host is starting its plugins; retry shortly.',
      { instance: path },
      {
        'retry-after': '1',
      },
    );
  return {
    handler: async (request) => (started ? handler(request) : booting(request.path)),
    open: () => {
      started = true;
    },
  };
}

type Follower = Awaited<ReturnType<typeof prepareFollower>>;

interface Serving {
  readonly kernel: Kernel;
  readonly server: Listening;
  readonly follower: Follower | undefined;
}

async function serve(options: StartOptions, io: CliIO): Promise<Serving> {
  const { source, config } = await hostConfigFor(io, options);
  const pluginDirs = options.plugins === undefined ? config.pluginDirs : [resolve(io.cwd, options.plugins)];
  // --follow installs the channel's current revision into the plugins folder before the kernel reads it.
  const follower =
    options.follow === undefined
      ? undefined
      : await prepareFollower(io, {
          ...options,
          follow: options.follow,
          registry: options.registry ?? config.registry,
          pluginsDir: pluginDirs[0] ?? resolve(io.cwd, 'plugins'),
        });
  const level = options.verbose ? 'debug' : (io.env.MODU_LOG_LEVEL ?? 'info');
  const logger = cliLogger(io.stderr, { pretty: io.stderr.isTTY === true && !options.json, level });
  const kernel = createKernel({ ...config, pluginDirs, source, env: io.env, logger });
  const adapter = options.adapter ?? config.adapter ?? 'express';
  const gate = whenStarted(withAccessLog(kernel.http, logger));
  const host = options.host ?? config.host ?? '127.0.0.1';
  const server = await listenFirst(adapter, gate.handler, host, options.port ?? config.port ?? 3000);
  try {
    const report = await kernel.start();
    gate.open();
    io.stdout.write(renderBoot(report, kernel.routes(), { adapter, url: server.url, config: source }));
  } catch (error) {
    await server.close(0);
    throw error;
  }
  return { kernel, server, follower };
}

/** `modu start`: a real host serving a plugins folder on Express or Koa until SIGINT or SIGTERM. */
export const addStartCommand: AddCommand = (program, io) => {
  program
    .command('start')
    .description('serve plugins over HTTP (with no flags: ./modu.yaml, else the bundled example app)')
    .option('--config <file>', 'host config (default: ./modu.yaml; with --plugins alone, Modu defaults)')
    .option('--plugins <dir>', 'plugins folder, instead of the config pluginDirs')
    .addOption(new Option('--adapter <name>', 'HTTP framework').choices(['express', 'koa']))
    .option('--host <address>', 'address to listen on')
    .option('--port <n>', 'port to listen on (0 picks a free one)', parsePort)
    .option('--json', 'log JSON lines even on a terminal; errors as JSON on stdout')
    .option('--follow <channel>', 'install, serve and keep following the current revision of a channel')
    .option(
      '--registry <address>',
      'with --follow: registry folder, URL or postgres:// address (default: registry of the config); writes to a URL use MODU_REGISTRY_TOKEN',
    )
    .option('--max-unavailable <n>', 'with --follow: hosts applying a revision at once (default 1)', (v) =>
      Number.parseInt(v, 10),
    )
    .option('--host-id <id>', 'with --follow: this host in heartbeats (default: hostname-pid)')
    .option('--require-signatures', 'with --follow: refuse plugins not signed by a --trusted-key')
    .option(
      '--trusted-key <file>',
      'with --follow: an ed25519 public key (PEM) to trust; repeatable',
      (v, all: string[]) => [...all, v],
      [],
    )
    .action(async (options: StartOptions, command: Command) => {
      // --verbose is the program's option (error stacks on every command); here it also logs at debug.
      const verbose = command.optsWithGlobals().verbose === true;
      const { kernel, server, follower } = await serve({ ...options, verbose }, io);
      const following = await follower?.follow(kernel, server.url);
      const signal = await shutdownSignal();
      io.stdout.write(`modu: ${signal}, draining requests and stopping plugins\n`);
      await following?.stop();
      await stopGracefully(kernel, (grace) => server.close(grace), io);
    });
};
