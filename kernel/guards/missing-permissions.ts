/** True when a held permission covers a required one: equal, `*`, or a `prefix:*` wildcard (`users:*` covers `users:read`). */
export function permissionCovers(held: string, required: string): boolean {
  if (held === required || held === '*') return true;
  if (!held.endsWith(':*')) return false;
  const prefix = held.slice(0, -1);
  return required.startsWith(prefix);
}

/**
 * The required permissions that none of the held ones cover, in the order required.
 *
 * @example missingPermissions(['users:*'], ['users:read', 'audit:read']) // ['audit:read']
 */
export function missingPermissions(held: readonly string[], required: readonly string[]): string[] {
  const missing: string[] = [];
  for (const permission of required) {
    if (!held.some((h) => permissionCovers(h, permission))) missing.push(permission);
  }
  return missing;
}
