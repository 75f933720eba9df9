import type { Command } from 'commander';
import {
  type InstallOptions,
  installFromLock,
  installPlugins,
  openRegistry,
  parseRequest,
} from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { installTarget } from '../plugin-dirs.js';
import { readTrustedKeys } from '../read-trusted-keys.js';
import { registryLocation } from '../registry-address.js';
import { assertRegistryExists, lockedRegistry } from '../registry-source.js';
import { installedText, progress } from '../render/registry-text.js';
import { writeOutput } from '../render/write-output.js';

interface InstallFlags {
  registry?: string;
  plugins?: string;
  config?: string;
  fromLock?: boolean;
  requireSignatures?: boolean;
  trustedKey: string[];
  json?: boolean;
}

/** `modu install <name[@range]>... [--registry DIR|URL] [--plugins DIR] [--from-lock] [--json]`. */
export function addInstallCommand(program: Command, io: CliIO): void {
  program
    .command('install')
    .description('install plugins and their dependencies from a registry into a plugins folder')
    .argument('[plugins...]', 'name or name@range (a semver range, version or dist-tag)')
    .option('--registry <dir|url>', 'registry folder or URL (default: registry of ./modu.yaml, else .modu/registry)')
    .option('--plugins <dir>', 'the plugins folder (default: first pluginDirs of ./modu.yaml, else ./plugins)')
    .option('--config <file>', 'host config file to read those defaults from (default ./modu.yaml)')
    .option('--from-lock', 'reinstall exactly what modu-lock.yaml records, from the registry it records')
    .option('--require-signatures', 'refuse plugins not signed by a --trusted-key')
    .option(
      '--trusted-key <file>',
      'an ed25519 public key (PEM) to trust; repeatable',
      (v, all: string[]) => [...all, v],
      [],
    )
    .option('--json', 'print JSON')
    .action(async (names: string[], flags: InstallFlags) => {
      const requests = names.map(parseRequest);
      const target = await installTarget(io, flags);
      // --from-lock reinstalls from where the lock came from, unless --registry says otherwise.
      const locked =
        flags.fromLock && flags.registry === undefined ? await lockedRegistry(target.pluginsDir) : undefined;
      const location = registryLocation(io, locked ?? target.registry);
      await assertRegistryExists(location);
      const options: InstallOptions = {
        registry: await openRegistry(location),
        pluginsDir: target.pluginsDir,
        requireSignatures: flags.requireSignatures === true,
        trustedKeys: await readTrustedKeys(io, flags.trustedKey),
        onProgress: progress(io),
      };
      if (!flags.fromLock && requests.length === 0) {
        program.error('error: name at least one plugin to install, or pass --from-lock', { exitCode: 2 });
      }
      const result = flags.fromLock ? await installFromLock(options) : await installPlugins(requests, options);
      writeOutput(io, flags.json, result, installedText);
    });
}
