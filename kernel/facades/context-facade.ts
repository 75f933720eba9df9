import { ObjectCreate, ObjectDefineProperty, ObjectFreeze, ObjectKeys } from '../primordials.js';

/**
 * A frozen, null-prototype object holding exactly `members` (read-only) and `getters`: what the host hands plugin
 * code instead of its own objects. No prototype is shared with the host or another plugin, so a plugin cannot add or
 * replace a member that another plugin's context would then see.
 *
 * @example contextFacade({ plugin: 'users', use }, { signal: () => controller.signal })
 */
export function contextFacade<T extends object>(
  members: Readonly<Record<string, unknown>>,
  getters: Readonly<Record<string, () => unknown>> = {},
): T {
  // Plain assignment on a null-prototype object reaches no inherited setter; the freeze below makes each member
  // read-only, as defining it would, at a fraction of the cost (two facades per plugin at boot).
  const facade = ObjectCreate(null) as Record<string, unknown>;
  const names = ObjectKeys(members);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    facade[name] = members[name];
  }
  const computed = ObjectKeys(getters);
  for (let i = 0; i < computed.length; i++) {
    const name = computed[i] as string;
    ObjectDefineProperty(facade, name, { get: getters[name] as () => unknown, enumerable: true });
  }
  return ObjectFreeze(facade) as T;
}
