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
  const facade = ObjectCreate(null) as object;
  const names = ObjectKeys(members);
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    ObjectDefineProperty(facade, name, { value: members[name], enumerable: true });
  }
  const computed = ObjectKeys(getters);
  for (let i = 0; i < computed.length; i++) {
    const name = computed[i] as string;
    ObjectDefineProperty(facade, name, { get: getters[name] as () => unknown, enumerable: true });
  }
  return ObjectFreeze(facade) as T;
}
