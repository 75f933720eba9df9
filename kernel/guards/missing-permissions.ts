import {
  ArrayIsArray,
  ArrayPrototypePush,
  ownValue,
  StringPrototypeEndsWith,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from '../primordials.js';

/** True when a held permission covers a required one: equal, `*`, or a `prefix:*` wildcard (`users:*` covers `users:read`). */
export function permissionCovers(held: unknown, required: string): boolean {
  if (typeof held !== 'string') return false;
  if (held === required || held === '*') return true;
  if (!StringPrototypeEndsWith(held, ':*')) return false;
  return StringPrototypeStartsWith(required, StringPrototypeSlice(held, 0, -1));
}

/**
 * The required permissions that none of the held ones cover, in the order required. Written with captured
 * intrinsics and indexed loops: a plugin replacing `Array.prototype.some` or `String.prototype.startsWith` changes
 * nothing here.
 *
 * @example missingPermissions(['users:*'], ['users:read', 'audit:read']) // ['audit:read']
 */
export function missingPermissions(held: readonly unknown[], required: readonly string[]): string[] {
  const missing: string[] = [];
  for (let r = 0; r < required.length; r++) {
    const permission = required[r] as string;
    let covered = false;
    for (let h = 0; h < held.length && !covered; h++) covered = permissionCovers(held[h], permission);
    if (!covered) ArrayPrototypePush(missing, permission);
  }
  return missing;
}

/** A principal's `permissions`, read as its own property (a polluted Object.prototype grants nothing); else none. */
export function heldPermissions(principal: unknown): readonly unknown[] {
  const permissions = ownValue(principal, 'permissions');
  return ArrayIsArray(permissions) ? permissions : [];
}
