import { dirname, isAbsolute, resolve } from 'node:path';
import { readYamlFile } from '../validation/read-yaml-file.js';
import { validate } from '../validation/validate.js';
import { applyEnvOverrides, hostEnvVariables } from './apply-env-overrides.js';
import { type HostConfig, hostConfigSchema } from './host-config-schema.js';

/** A host configuration read from a file, with its folder-relative paths made absolute. */
export interface LoadedHostConfig {
  readonly file: string;
  readonly config: HostConfig & { readonly pluginDirs: readonly string[] };
}

const relativePaths = ['cacheDir', 'registry', 'dataDir'] as const;

/**
 * Reads `modu.yaml`, applies the MODU_* environment overrides, validates the result and resolves
 * `pluginDirs`, `cacheDir` and a folder `registry` against the file's folder.
 *
 * @throws ModuError `MODU_FILE_MISSING`, `MODU_YAML_INVALID`, `MODU_CONFIG_INVALID`
 */
export async function loadHostConfig(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<LoadedHostConfig> {
  const yaml = await readYamlFile(file);
  const value = applyEnvOverrides((yaml.value ?? {}) as HostConfig, env);
  // A field set from the environment is named by its variable, not by a line of the file.
  const overridden = hostEnvVariables(env);
  const source = {
    file: overridden.size === 0 ? yaml.file : `${yaml.file} (with ${[...overridden.values()].join(', ')})`,
    locate: (pointer: string) => (overridden.has(pointer) ? undefined : yaml.locate?.(pointer)),
  };
  const config = validate<HostConfig>(hostConfigSchema, value, source, 'MODU_CONFIG_INVALID');
  const base = dirname(resolve(file));
  const absolute = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const resolved: Record<string, unknown> = { ...config, pluginDirs: (config.pluginDirs ?? ['plugins']).map(absolute) };
  for (const key of relativePaths) {
    const path = config[key];
    if (path !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) resolved[key] = absolute(path);
  }
  return { file: resolve(file), config: resolved as LoadedHostConfig['config'] };
}
