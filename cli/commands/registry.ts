import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { scanPlugin } from '../../kernel/index.js';
import {
  createRegistryHandler,
  isRegistryUrl,
  openLocalRegistry,
  openRegistry,
  packPlugin,
  type RegistryClient,
} from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { type AdapterName, listen } from '../host/serve-kernel.js';
import { shutdownSignal } from '../host/shutdown-signal.js';
import { registryAddress } from '../registry-address.js';
import { assertRegistryExists } from '../registry-source.js';
import { pluginDetail, pluginDetailText } from '../render/registry-info.js';
import { publishedText, summariesText } from '../render/registry-text.js';
import { writeOutput } from '../render/write-output.js';
import { addMigrate } from './registry-migrate.js';

interface Common {
  registry?: string;
  config?: string;
  token?: string;
  json?: boolean;
}

/** Opens the registry to read: a folder must exist (writes create it). */
async function openToRead(io: CliIO, flags: Common): Promise<RegistryClient> {
  await assertRegistryExists(await registryAddress(io, flags));
  return open(io, flags);
}

async function open(io: CliIO, flags: Common): Promise<RegistryClient> {
  const token = flags.token ?? io.env.MODU_REGISTRY_TOKEN;
  // The scan runs where the archive is stored: here for a folder, on the server for a URL.
  return openRegistry(await registryAddress(io, flags), {
    scan: scanPlugin,
    ...(token === undefined ? {} : { token }),
  });
}

async function archiveBytes(io: CliIO, source: string): Promise<Buffer> {
  const path = resolve(io.cwd, source);
  if ((await stat(path).catch(() => undefined))?.isFile()) return readFile(path);
  return (await packPlugin(path)).bytes;
}

function withCommon(command: Command, json = true): Command {
  command.option(
    '--registry <address>',
    'registry folder, URL or postgres:// address (default: registry of ./modu.yaml, else .modu/registry)',
  );
  command.option('--config <file>', 'host config to read registry: from (default ./modu.yaml)');
  command.option('--token <token>', 'bearer token for an HTTP registry (or MODU_REGISTRY_TOKEN)');
  return json ? command.option('--json', 'print JSON') : command;
}

function addReads(registry: Command, io: CliIO): void {
  withCommon(registry.command('list').description('list every plugin with its latest version')).action(
    async (flags: Common) => {
      writeOutput(io, flags.json, await (await openToRead(io, flags)).list(), summariesText);
    },
  );
  withCommon(registry.command('search').description('search names, descriptions and keywords'))
    .argument('<query...>', 'words that must all match')
    .action(async (words: string[], flags: Common) => {
      writeOutput(io, flags.json, await (await openToRead(io, flags)).search(words.join(' ')), summariesText);
    });
  withCommon(
    registry
      .command('info')
      .description('show a plugin, its dist-tags and each version: integrity, dependencies, kernel, signature, scan'),
  )
    .argument('<name>', 'the plugin name, or name@version for one version')
    .action(async (spec: string, flags: Common) => {
      writeOutput(io, flags.json, await pluginDetail(await openToRead(io, flags), spec), pluginDetailText);
    });
}

function addWrites(registry: Command, io: CliIO): void {
  withCommon(registry.command('publish').description('publish a plugin folder or .tgz'))
    .argument('<source>', 'a plugin folder or a .tgz made by modu pack')
    .option('--tag <tag>', 'also point this dist-tag at the new version')
    .option('--sign-key <file>', 'sign with this ed25519 private key (PEM)')
    .action(async (source: string, flags: Common & { tag?: string; signKey?: string }) => {
      const bytes = await archiveBytes(io, source);
      const signingKey =
        flags.signKey === undefined ? undefined : await readFile(resolve(io.cwd, flags.signKey), 'utf8');
      const record = await (await open(io, flags)).publish(bytes, {
        ...(flags.tag === undefined ? {} : { tag: flags.tag }),
        ...(signingKey === undefined ? {} : { signingKey }),
      });
      writeOutput(io, flags.json, record, publishedText);
    });
  withCommon(registry.command('deprecate').description('deprecate every version in a range ("" as message clears it)'))
    .argument('<name>', 'the plugin name')
    .argument('<range>', 'the versions, as a semver range')
    .argument('<message>', 'why, and what to use instead')
    .action(async (name: string, range: string, message: string, flags: Common) => {
      const versions = await (await open(io, flags)).deprecate(name, range, message);
      writeOutput(
        io,
        flags.json,
        { name, versions },
        (r) =>
          `${message === '' ? 'undeprecated' : 'deprecated'} ${r.versions.map((v) => `${name}@${v}`).join(', ')}\n`,
      );
    });
  withCommon(
    registry.command('unpublish').description('unpublish one version (within the window; never under a dependent)'),
  )
    .argument('<name>', 'the plugin name')
    .argument('<version>', 'the exact version')
    .option('--force', 'ignore the unpublish time window')
    .action(async (name: string, version: string, flags: Common & { force?: boolean }) => {
      await (await open(io, flags)).unpublish(name, version, { force: flags.force === true });
      writeOutput(io, flags.json, { name, version, unpublished: true }, () => `unpublished ${name}@${version}\n`);
    });
}

function addDistTag(registry: Command, io: CliIO): void {
  const distTag = registry.command('dist-tag').description('list, add or remove dist-tags');
  withCommon(distTag.command('ls').description('list the dist-tags of a plugin'))
    .argument('<name>', 'the plugin name')
    .action(async (name: string, flags: Common) => {
      const tags = await (await open(io, flags)).distTags(name);
      writeOutput(
        io,
        flags.json,
        tags,
        (t) =>
          `${Object.entries(t)
            .map(([tag, v]) => `${tag}: ${v}`)
            .join('\n')}\n`,
      );
    });
  withCommon(distTag.command('add').description('point a dist-tag at a version'))
    .argument('<name>', 'the plugin name')
    .argument('<tag>', 'the tag, such as beta')
    .argument('<version>', 'the exact version')
    .action(async (name: string, tag: string, version: string, flags: Common) => {
      await (await open(io, flags)).addDistTag(name, tag, version);
      writeOutput(io, flags.json, { name, tag, version }, () => `${name} ${tag} -> ${version}\n`);
    });
  withCommon(distTag.command('rm').description('remove a dist-tag'))
    .argument('<name>', 'the plugin name')
    .argument('<tag>', 'the tag')
    .action(async (name: string, tag: string, flags: Common) => {
      await (await open(io, flags)).removeDistTag(name, tag);
      writeOutput(io, flags.json, { name, tag, removed: true }, () => `${name} ${tag} removed\n`);
    });
}

interface ServeFlags {
  registry?: string;
  config?: string;
  port: string;
  host: string;
  adapter: string;
  token?: string;
  maxUpload: string;
}

async function serve(io: CliIO, flags: ServeFlags, address: string): Promise<void> {
  const registry = await openLocalRegistry(address, { scan: scanPlugin });
  const token = flags.token ?? io.env.MODU_REGISTRY_TOKEN;
  const handler = createRegistryHandler(registry, {
    tokens: token === undefined ? [] : [{ id: 'default', token }],
    maxUploadBytes: Number(flags.maxUpload),
  });
  const server = await listen(flags.adapter as AdapterName, handler, flags.host, Number(flags.port));
  io.stdout.write(`serving ${registry.location} on ${server.url} (${flags.adapter})\n`);
  if (token === undefined) io.stderr.write('no --token or MODU_REGISTRY_TOKEN: every write will be refused\n');
  await shutdownSignal();
  await server.close(5_000);
  io.stdout.write('stopped\n');
}

function addServe(registry: Command, io: CliIO): void {
  registry
    .command('serve')
    .description('serve a registry folder or PostgreSQL registry over HTTP until SIGINT or SIGTERM')
    .option(
      '--registry <dir|postgres-url>',
      'registry folder or postgres:// address (default: registry of ./modu.yaml, else .modu/registry)',
    )
    .option('--config <file>', 'host config to read registry: from (default ./modu.yaml)')
    .option('--port <n>', 'port (0 picks a free one)', '4873')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--adapter <name>', 'express or koa', 'express')
    .option('--token <token>', 'bearer token writes need (or MODU_REGISTRY_TOKEN)')
    .option('--max-upload <bytes>', 'largest accepted upload', String(16 * 1024 * 1024))
    .action(async (flags: ServeFlags) => {
      if (!['express', 'koa'].includes(flags.adapter))
        registry.error('error: --adapter must be express or koa', { exitCode: 2 });
      const address = await registryAddress(io, flags);
      // A URL is another server: this one serves the folder or database it stores into.
      if (isRegistryUrl(address))
        registry.error(`error: ${address} is a registry URL; serve its folder or postgres:// address`, { exitCode: 2 });
      return serve(io, flags, address);
    });
}

/** `modu registry publish|list|info|search|deprecate|unpublish|dist-tag|serve|migrate`, each on a folder, URL or postgres://. */
export function addRegistryCommand(program: Command, io: CliIO): void {
  const registry = program
    .command('registry')
    .description('publish to, read, migrate and serve a plugin registry (folder, URL or postgres://)');
  addReads(registry, io);
  addWrites(registry, io);
  addDistTag(registry, io);
  addServe(registry, io);
  addMigrate(registry, io);
}
