import type { GuardDenial } from '../authoring/plugin-definition.js';

const denialBrand = Symbol.for('modu.guard-denial');

/**
 * A guard's refusal: return it from `canActivate` to answer 401 (no or bad credential) or 403 (not allowed), with
 * the reason in the problem's `detail`. No kernel error code is needed.
 *
 * @example canActivate: (ctx) => (ctx.headers.authorization ? true : deny(401, 'send a bearer token'))
 */
export function deny(status: 401 | 403 = 403, reason?: string): GuardDenial {
  const denial = { status, reason };
  Object.defineProperty(denial, denialBrand, { value: true });
  return Object.freeze(denial);
}

/** True for a value made by {@link deny} in any copy of Modu. */
export function isGuardDenial(value: unknown): value is GuardDenial {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[denialBrand] === true;
}
