import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  applyEnvOverrides,
  type HostConfig,
  hostConfigSchema,
  type LoadedHostConfig,
  loadHostConfig,
  validate,
} from '../../kernel/index.js';
import type { CliIO } from '../cli-io.js';

/** The example host shipped with Modu (compiled into dist/ next to the CLI). */
const exampleConfig = fileURLToPath(new URL('../../fixtures/example/modu.yaml', import.meta.url));

/** Where a host's configuration came from, named in the boot line. */
export interface HostConfigChoice extends Omit<LoadedHostConfig, 'file'> {
  /** The modu.yaml read, or a description (`Modu defaults`). */
  readonly source: string;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * The host configuration `modu start` serves: `--config`, else `./modu.yaml`, else with `--plugins` Modu's own
 * defaults (never the example app's tokens and grants), else the bundled example app.
 *
 * @throws ModuError `MODU_FILE_MISSING`, `MODU_YAML_INVALID`, `MODU_CONFIG_INVALID`
 */
export async function hostConfigFor(
  io: CliIO,
  options: { readonly config?: string | undefined; readonly plugins?: string | undefined },
): Promise<HostConfigChoice> {
  const local = resolve(io.cwd, 'modu.yaml');
  let file: string | undefined;
  if (options.config !== undefined) file = resolve(io.cwd, options.config);
  else if (await exists(local)) file = local;
  else if (options.plugins === undefined) file = exampleConfig;
  if (file !== undefined) {
    const loaded = await loadHostConfig(file, io.env);
    return { source: loaded.file, config: loaded.config };
  }
  const source = 'Modu defaults (no modu.yaml)';
  const config = validate<HostConfig>(
    hostConfigSchema,
    applyEnvOverrides({}, io.env),
    { file: source },
    'MODU_CONFIG_INVALID',
  );
  return { source, config: { ...config, pluginDirs: [resolve(io.cwd, options.plugins as string)] } };
}
