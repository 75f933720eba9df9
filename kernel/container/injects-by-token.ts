import type { PluginDefinition } from '../authoring/plugin-definition.js';
import { ObjectHasOwn, ObjectKeys, ownValue } from '../primordials.js';
import type { PluginService } from './plugin-services.js';

function isClassGuards(guards: unknown): boolean {
  if (Array.isArray(guards)) return guards.length > 0;
  if (typeof guards !== 'object' || guards === null) return false;
  const names = ObjectKeys(guards);
  for (let i = 0; i < names.length; i++) {
    const entry = (guards as Record<string, unknown>)[names[i] as string];
    if (typeof entry === 'object' && entry !== null && ObjectHasOwn(entry, 'class')) return true;
  }
  return false;
}

/**
 * True when the container library builds a class of the plugin that may inject services by token (`@inject`): a
 * class service, a request-scoped service (built in the request's child container), a guard class or a controller.
 * Only then must the plugin's container hold its dependencies' values and its services' bare names as bindings;
 * otherwise every lookup goes through the plugin's own `use`, `useAsync` and `has`.
 */
export function injectsByToken(definition: PluginDefinition, services: readonly PluginService[]): boolean {
  for (const service of services) {
    if (service.scope === 'request' || ObjectHasOwn(service.definition, 'class')) return true;
  }
  const controllers = ownValue<readonly unknown[]>(definition, 'controllers');
  if (controllers !== undefined && controllers.length > 0) return true;
  return isClassGuards(ownValue(definition, 'guards'));
}
