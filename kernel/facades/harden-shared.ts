import {
  ObjectFreeze,
  ObjectGetPrototypeOf,
  ObjectIsFrozen,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,
} from '../primordials.js';

/**
 * The realm's own intrinsics: shared by every piece of code in the process already, so freezing them here would
 * change the whole process (the scanner's `intrinsic-mutation` rule is what keeps plugins off them).
 */
const INTRINSICS: ReadonlySet<unknown> = new Set<unknown>([
  Object,
  Object.prototype,
  Function,
  Function.prototype,
  Error,
  Error.prototype,
  ObjectGetPrototypeOf(async () => {}),
  Array.prototype,
  Promise.prototype,
]);

function hardenValue(value: unknown, seen: Set<unknown>): void {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return;
  if (INTRINSICS.has(value) || seen.has(value)) return;
  seen.add(value);
  if (!ObjectIsFrozen(value)) ObjectFreeze(value);
  const keys = ReflectOwnKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const descriptor = ReflectGetOwnPropertyDescriptor(value, keys[i] as PropertyKey);
    if (descriptor === undefined) continue;
    hardenValue(descriptor.value, seen);
    hardenValue(descriptor.get, seen);
    hardenValue(descriptor.set, seen);
  }
  hardenValue(ObjectGetPrototypeOf(value), seen);
}

/**
 * Freezes `root` and everything its own properties, accessors and prototypes lead to, short of the realm's
 * intrinsics: what the host shares with every plugin (the `modu` module's classes, decorators and functions) then
 * cannot be rewritten by one plugin to change what another plugin, or the host, gets from it.
 *
 * @example export const pluginApi = hardenShared({ ModuError, definePlugin })
 */
export function hardenShared<T>(root: T): T {
  hardenValue(root, new Set());
  return root;
}
