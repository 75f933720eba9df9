import { ModuError } from '../errors/modu-error.js';
import { GUARD_KEYS, PLUGIN_DEFINITION_KEYS, ROUTE_KEYS, SERVICE_KEYS } from './definition-keys.js';
import { nearestName } from './nearest-name.js';

/** One unknown key: where it is (`routes[0].guard`) and the valid key it most likely means. */
interface UnknownKey {
  readonly at: string;
  readonly key: string;
  readonly nearest: string | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownKeys(value: unknown, valid: readonly string[], at: string): UnknownKey[] {
  if (!isObject(value)) return [];
  return Object.keys(value)
    .filter((key) => !valid.includes(key))
    .map((key) => ({ at: at === '' ? key : `${at}.${key}`, key, nearest: nearestName(key, valid) }));
}

function recordEntries(value: unknown): Array<[string, unknown]> {
  return isObject(value) ? Object.entries(value) : [];
}

function allUnknownKeys(definition: Record<string, unknown>): UnknownKey[] {
  const found = unknownKeys(definition, PLUGIN_DEFINITION_KEYS, '');
  const routes = Array.isArray(definition.routes) ? definition.routes : [];
  for (const [i, route] of routes.entries()) found.push(...unknownKeys(route, ROUTE_KEYS, `routes[${i}]`));
  for (const [name, guard] of recordEntries(definition.guards))
    found.push(...unknownKeys(guard, GUARD_KEYS, `guards.${name}`));
  for (const [name, service] of recordEntries(definition.services))
    if (typeof service !== 'function') found.push(...unknownKeys(service, SERVICE_KEYS, `services.${name}`));
  return found;
}

/**
 * Rejects a definition with keys `definePlugin` does not know (`route:`, `onstart`), every one at once, each with
 * the valid key it most likely means: a typo would otherwise be silently ignored.
 *
 * @throws ModuError `MODU_LOADER_DEFINITION_INVALID` naming the plugin, the file and each key
 */
export function checkDefinitionKeys(definition: object, plugin: string, file: string): void {
  const unknown = allUnknownKeys(definition as Record<string, unknown>);
  if (unknown.length === 0) return;
  const lines = unknown.map(({ at, nearest }) =>
    nearest === undefined ? `unknown key '${at}'` : `unknown key '${at}' (did you mean '${nearest}'?)`,
  );
  throw new ModuError(
    'MODU_LOADER_DEFINITION_INVALID',
    `Plugin '${plugin}' has an invalid definePlugin() in ${file}: ${lines.join('; ')}.`,
    {
      details: { plugin, file, keys: unknown },
      hint: `Valid keys: ${PLUGIN_DEFINITION_KEYS.join(', ')}; a route takes ${ROUTE_KEYS.join(', ')}.`,
    },
  );
}
