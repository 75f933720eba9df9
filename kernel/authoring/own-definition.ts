import { ArrayIsArray, ObjectCreate, ObjectFreeze, ObjectHasOwn, ObjectKeys } from '../primordials.js';
import { PLUGIN_DEFINITION_KEYS, ROUTE_KEYS, SERVICE_KEYS } from './definition-keys.js';
import type { PluginDefinition } from './plugin-definition.js';

type Fields = Record<string, unknown>;

/** A null-prototype copy of `source`'s own `fields`: a key another plugin added to Object.prototype reads undefined. */
function own(source: unknown, fields: readonly string[]): Fields {
  const copy = ObjectCreate(null) as Fields;
  if (typeof source !== 'object' || source === null) return copy;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (ObjectHasOwn(source, field)) copy[field] = (source as Fields)[field];
  }
  return copy;
}

function list(value: unknown, map: (item: unknown) => unknown): unknown {
  if (!ArrayIsArray(value)) return value;
  const copy: unknown[] = [];
  for (let i = 0; i < value.length; i++) copy[i] = map(value[i]);
  return ObjectFreeze(copy);
}

function record(value: unknown, map: (item: unknown) => unknown): unknown {
  if (typeof value !== 'object' || value === null || ArrayIsArray(value)) return value;
  const copy = ObjectCreate(null) as Fields;
  const keys = ObjectKeys(value);
  for (let i = 0; i < keys.length; i++) copy[keys[i] as string] = map((value as Fields)[keys[i] as string]);
  return copy;
}

/** A guard object keeps its identity (its `canActivate` may live on its class, and use `this`); a class one is copied. */
function guard(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !ObjectHasOwn(value, 'class')) return value;
  return own(value, ['class', 'dependsOn']);
}

/**
 * The plugin's definition as the kernel reads it: its own fields only, copied into null-prototype objects (services,
 * guards, routes). A plugin that sets `Object.prototype.routes` or `Object.prototype.class` therefore cannot add
 * routes to, or change the services of, another plugin whose definition lacks those fields.
 */
export function ownDefinition(definition: PluginDefinition): PluginDefinition {
  const copy = own(definition, PLUGIN_DEFINITION_KEYS);
  if (copy.services !== undefined) {
    copy.services = ArrayIsArray(copy.services)
      ? list(copy.services, (cls) => cls)
      : record(copy.services, (entry) => (typeof entry === 'function' ? entry : own(entry, SERVICE_KEYS)));
  }
  if (copy.guards !== undefined) {
    copy.guards = ArrayIsArray(copy.guards) ? list(copy.guards, (cls) => cls) : record(copy.guards, guard);
  }
  if (copy.routes !== undefined) copy.routes = list(copy.routes, (route) => own(route, ROUTE_KEYS));
  if (copy.controllers !== undefined) copy.controllers = list(copy.controllers, (cls) => cls);
  return ObjectFreeze(copy) as PluginDefinition;
}
