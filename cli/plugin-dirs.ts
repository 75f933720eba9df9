import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type LoadedHostConfig, loadHostConfig } from '../kernel/index.js';
import type { CliIO } from './cli-io.js';

/** Where the plugins are: `--plugins DIR`, else the `pluginDirs` of `--config` or ./modu.yaml, else ./plugins. */
export async function pluginDirs(io: CliIO, options: { plugins?: string; config?: string }): Promise<string[]> {
  if (options.plugins !== undefined) return [resolve(io.cwd, options.plugins)];
  const host = await hostConfig(io, options.config);
  return host === undefined ? [resolve(io.cwd, 'plugins')] : [...host.config.pluginDirs];
}

/** The host config of `--config FILE`, else of ./modu.yaml when it exists, else undefined. */
export async function hostConfig(io: CliIO, file: string | undefined): Promise<LoadedHostConfig | undefined> {
  const path = resolve(io.cwd, file ?? 'modu.yaml');
  if (
    file === undefined &&
    !(await access(path).then(
      () => true,
      () => false,
    ))
  )
    return undefined;
  return loadHostConfig(path, io.env);
}

/** Where `modu install` and `modu uninstall` work: a registry (folder or URL, undefined for the default) and a plugins folder. */
export interface InstallTarget {
  readonly registry: string | undefined;
  readonly pluginsDir: string;
}

/**
 * `--registry` and `--plugins`, else `registry` and the first of `pluginDirs` from `--config` or ./modu.yaml,
 * else undefined (the default registry) and ./plugins.
 *
 * @throws ModuError the host config codes when the config file is read and invalid
 * @example const { pluginsDir } = await installTarget(io, { plugins: undefined });
 */
export async function installTarget(
  io: CliIO,
  options: { registry?: string; plugins?: string; config?: string },
): Promise<InstallTarget> {
  const needsConfig = options.registry === undefined || options.plugins === undefined;
  const host = needsConfig ? await hostConfig(io, options.config) : undefined;
  return {
    registry: options.registry ?? host?.config.registry,
    pluginsDir: resolve(io.cwd, options.plugins ?? host?.config.pluginDirs[0] ?? 'plugins'),
  };
}
