import {
  SetPrototypeHas,
  StringPrototypeIndexOf,
  StringPrototypeLastIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from '../primordials.js';

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
  return guard.exported === true && SetPrototypeHas(requester.dependencies, guard.owner);
}

/** Qualifies a guard name: a bare name means the requester's own guard. */
export function qualifyGuardName(name: string, requester: string): string {
  const first = StringPrototypeIndexOf(name, '/');
  const scopedBare = StringPrototypeStartsWith(name, '@') && first === StringPrototypeLastIndexOf(name, '/');
  return first >= 0 && !scopedBare ? name : `${requester}/${name}`;
}

/** Splits `<plugin>/<guard>` (the plugin may be scoped: `@acme/auth/authenticated`). */
export function splitGuardName(name: string): { readonly owner: string; readonly guard: string } {
  const slash = StringPrototypeLastIndexOf(name, '/');
  return { owner: StringPrototypeSlice(name, 0, slash), guard: StringPrototypeSlice(name, slash + 1) };
}
