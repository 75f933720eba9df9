import type { PluginManifest } from '../manifest/manifest-schema.js';
import { ArrayIsArray, ObjectCreate, ObjectFreeze, ObjectKeys } from '../primordials.js';
import { checkSchema, validate } from '../validation/validate.js';
import { applyPluginEnv } from './apply-env-overrides.js';

/**
 * A plugin's configuration: the host's section for it (`plugins.<name>.config` in modu.yaml) with
 * `MODU_PLUGIN_<NAME>__*` overrides (`env`, from `pluginEnvVariables`), validated against the manifest's `config` schema with its
 * defaults applied, then copied and frozen. The review's missing `getPluginConfig`, done at the door.
 *
 * @throws ModuError `MODU_CONFIG_INVALID` naming the plugin and each field, `MODU_CONFIG_SCHEMA_INVALID`
 */
export function resolvePluginConfig(
  manifest: PluginManifest,
  hostValue: Readonly<Record<string, unknown>> | undefined,
  env: ReadonlyArray<readonly [string, string]>,
  source: string,
): Readonly<Record<string, unknown>> {
  const value = applyPluginEnv(manifest.name, hostValue ?? {}, env);
  const file = `${source} (plugins.${manifest.name}.config)`;
  const schema = manifest.config ?? anyObject;
  // The plugin's own schema is checked against the JSON Schema meta-schema first.
  if (schema !== anyObject) checkSchema(schema, { file });
  return frozenCopy(validate<Record<string, unknown>>(schema, value, { file }, 'MODU_CONFIG_INVALID'));
}

const anyObject = { type: 'object' };

/**
 * A deep, frozen copy in null-prototype objects: the plugin never holds the host's own config objects, and a key
 * another plugin adds to Object.prototype does not show through as a config value.
 */
function frozenCopy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayIsArray(value)) {
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) items[i] = frozenCopy(value[i]);
    return ObjectFreeze(items) as T;
  }
  const copy = ObjectCreate(null) as Record<string, unknown>;
  const keys = ObjectKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    copy[key] = frozenCopy((value as Record<string, unknown>)[key]);
  }
  return ObjectFreeze(copy) as T;
}
