import type { PluginManifest } from '../manifest/manifest-schema.js';
import { nullPrototypeCopy } from '../validation/null-prototype-copy.js';
import { checkSchema, precompile, validate } from '../validation/validate.js';
import { applyPluginEnv, envName } from './apply-env-overrides.js';

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
  // A value set from the environment is named by its variable, so that the reader knows where to fix it.
  const prefix = `MODU_PLUGIN_${envName(manifest.name)}__`;
  const variables = env.filter(([name]) => name.startsWith(prefix)).map(([name]) => name);
  const withEnv = variables.length === 0 ? '' : `, with ${variables.join(', ')}`;
  const file = `${source} (plugins.${manifest.name}.config${withEnv})`;
  const schema = manifest.config ?? anyObject;
  // The plugin's own schema is checked against the JSON Schema meta-schema first.
  if (schema !== anyObject) checkSchema(schema, { file });
  // validate() already works on a null-prototype copy; freezing a second one keeps the plugin off the host's objects.
  return nullPrototypeCopy(validate<Record<string, unknown>>(schema, value, { file }, 'MODU_CONFIG_INVALID'), true);
}

const anyObject = { type: 'object' };
precompile(anyObject);
