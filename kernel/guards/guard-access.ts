/** Who owns a guard and whether its owner exports it. */
export interface GuardOwnership {
  readonly owner: string;
  readonly exported: boolean;
}

/** The plugin asking for a guard, and the plugins it declared as dependencies. */
export interface GuardRequester {
  readonly name: string;
  readonly dependencies: ReadonlySet<string>;
}

/**
 * Whether `requester` may use a guard: always its own guards; another plugin's only when that plugin
 * exports it AND the requester depends on it. Both conditions are booleans checked positively, so a
 * local guard can never pass as usable by another plugin (the reviewed scope-filter bug).
 */
export function canUseGuard(guard: GuardOwnership, requester: GuardRequester): boolean {
  if (guard.owner === requester.name) return true;
  return guard.exported && requester.dependencies.has(guard.owner);
}

/** Qualifies a guard name: a bare name means the requester's own guard. */
export function qualifyGuardName(name: string, requester: string): string {
  return name.includes('/') && !(name.startsWith('@') && name.indexOf('/') === name.lastIndexOf('/'))
    ? name
    : `${requester}/${name}`;
}

/** Splits `<plugin>/<guard>` (the plugin may be scoped: `@acme/auth/authenticated`). */
export function splitGuardName(name: string): { readonly owner: string; readonly guard: string } {
  const slash = name.lastIndexOf('/');
  return { owner: name.slice(0, slash), guard: name.slice(slash + 1) };
}
