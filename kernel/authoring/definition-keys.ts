import type { PluginDefinition, RouteDefinition } from './plugin-definition.js';

/** Every key `definePlugin({...})` accepts: the one list the type test and the load-time check share. */
export const PLUGIN_DEFINITION_KEYS = [
  'services',
  'guards',
  'routes',
  'controllers',
  'onLoad',
  'onStart',
  'onStop',
  'onUnload',
] as const satisfies ReadonlyArray<keyof PluginDefinition>;

/** Every key of a route object. */
export const ROUTE_KEYS = ['method', 'path', 'guards', 'permissions', 'handler'] as const satisfies ReadonlyArray<
  keyof RouteDefinition
>;

/** Every key of a guard object (plain or class). */
export const GUARD_KEYS = ['canActivate', 'class', 'dependsOn'] as const;

/** Every key of a service object. */
export const SERVICE_KEYS = ['class', 'factory', 'value', 'scope', 'dispose'] as const;

// Compile-time: each list names every key of its type, so a key added to a type fails here until it is listed.
type AllListed<Missing extends never> = Missing;
export type DefinitionKeysAreComplete = AllListed<
  | Exclude<keyof PluginDefinition, (typeof PLUGIN_DEFINITION_KEYS)[number]>
  | Exclude<keyof RouteDefinition, (typeof ROUTE_KEYS)[number]>
>;
