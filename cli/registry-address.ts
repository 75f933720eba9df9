import { resolve } from 'node:path';
import { isPostgresUrl, isRegistryUrl } from '../registry/index.js';
import type { CliIO } from './cli-io.js';
import { hostConfig } from './plugin-dirs.js';

/** A registry address as given: a URL or postgres:// stays, a folder is resolved against the working folder (default `.modu/registry`). */
export function registryLocation(io: CliIO, flag: string | undefined): string {
  if (flag !== undefined && (isRegistryUrl(flag) || isPostgresUrl(flag))) return flag;
  return resolve(io.cwd, flag ?? '.modu/registry');
}

/**
 * The registry a registry, deploy or channel command uses: `--registry`, else `registry:` of `--config`
 * or ./modu.yaml (where MODU_REGISTRY overrides it), else MODU_REGISTRY, else `.modu/registry`.
 *
 * @throws ModuError the host config codes when the config file is read and invalid
 * @example const location = await registryAddress(io, { registry: flags.registry, config: flags.config });
 */
export async function registryAddress(io: CliIO, flags: { registry?: string; config?: string }): Promise<string> {
  if (flags.registry !== undefined) return registryLocation(io, flags.registry);
  const configured = (await hostConfig(io, flags.config))?.config.registry;
  return registryLocation(io, configured ?? io.env.MODU_REGISTRY);
}
