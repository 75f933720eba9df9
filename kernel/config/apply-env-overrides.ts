import { parse } from 'yaml';
import type { HostConfig } from './host-config-schema.js';

const scalarOverrides: Readonly<Record<string, keyof HostConfig>> = {
  MODU_ADAPTER: 'adapter',
  MODU_HOST: 'host',
  MODU_PORT: 'port',
  MODU_CONCURRENCY: 'concurrency',
  MODU_REGISTRY: 'registry',
  MODU_CACHE_DIR: 'cacheDir',
};

/** The host-level MODU_* variables set in `env`, by the JSON pointer of the field each one replaces. */
export function hostEnvVariables(env: Readonly<Record<string, string | undefined>>): Map<string, string> {
  const found = new Map<string, string>();
  for (const [variable, key] of Object.entries(scalarOverrides))
    if (env[variable] !== undefined) found.set(`/${key}`, variable);
  if (env.MODU_PLUGIN_DIRS) found.set('/pluginDirs', 'MODU_PLUGIN_DIRS');
  if (env.MODU_ADMIN_TOKEN) found.set('/endpoints/adminToken', 'MODU_ADMIN_TOKEN');
  return found;
}

/** `users`, `@acme/users` → `USERS`, `ACME_USERS`: how a plugin name appears in a variable name. */
export function envName(plugin: string): string {
  return plugin
    .replace(/^@/, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '_');
}

function parseScalar(text: string): unknown {
  try {
    return parse(text) ?? text;
  } catch {
    return text;
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    node[key] = typeof next === 'object' && next !== null && !Array.isArray(next) ? { ...next } : {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/**
 * Returns a copy of `config` with the host-level MODU_* environment variables applied: MODU_PORT,
 * MODU_HOST, MODU_ADAPTER, MODU_CONCURRENCY, MODU_REGISTRY, MODU_CACHE_DIR, MODU_PLUGIN_DIRS
 * (comma-separated) and MODU_ADMIN_TOKEN. Values are read as YAML scalars (`8080` is a number).
 */
export function applyEnvOverrides(config: HostConfig, env: Readonly<Record<string, string | undefined>>): HostConfig {
  const result = structuredClone(config) as Record<string, unknown>;
  for (const [variable, key] of Object.entries(scalarOverrides)) {
    const value = env[variable];
    if (value !== undefined) result[key] = parseScalar(value);
  }
  if (env.MODU_PLUGIN_DIRS) result.pluginDirs = env.MODU_PLUGIN_DIRS.split(',').filter(Boolean);
  if (env.MODU_ADMIN_TOKEN) setPath(result, ['endpoints', 'adminToken'], env.MODU_ADMIN_TOKEN);
  return result as HostConfig;
}

/** The `MODU_PLUGIN_*` variables of an environment, read once: enumerating process.env is slow. */
export function pluginEnvVariables(
  env: Readonly<Record<string, string | undefined>>,
): ReadonlyArray<readonly [string, string]> {
  return Object.entries(env).filter(
    (entry): entry is [string, string] => entry[0].startsWith('MODU_PLUGIN_') && entry[1] !== undefined,
  );
}

/**
 * Overlays `MODU_PLUGIN_<NAME>__<key>[__<key>…]` variables (from {@link pluginEnvVariables}) onto a
 * copy of one plugin's config: `<NAME>` as {@link envName} writes it, keys as written
 * (`MODU_PLUGIN_USERS__pageSize=50`).
 */
export function applyPluginEnv(
  plugin: string,
  config: Readonly<Record<string, unknown>>,
  variables: ReadonlyArray<readonly [string, string]>,
): Record<string, unknown> {
  const result = structuredClone(config) as Record<string, unknown>;
  const prefix = `MODU_PLUGIN_${envName(plugin)}__`;
  for (const [variable, value] of variables) {
    if (variable.startsWith(prefix)) setPath(result, variable.slice(prefix.length).split('__'), parseScalar(value));
  }
  return result;
}
