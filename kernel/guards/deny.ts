import type { GuardDenial } from '../authoring/plugin-definition.js';
import { ObjectDefineProperty, ObjectFreeze, ownValue } from '../primordials.js';

const denialBrand = Symbol.for('modu.guard-denial');

/**
 * A guard's refusal: return it from `canActivate` to answer 401 (no or bad credential) or 403 (not allowed), with
 * the reason in the problem's `detail`. No kernel error code is needed.
 *
 * @example canActivate: (ctx) => (ctx.headers.authorization ? true : deny(401, 'send a bearer token'))
 */
export function deny(status: 401 | 403 = 403, reason?: string): GuardDenial {
  const denial = { status, reason };
  ObjectDefineProperty(denial, denialBrand, { value: true });
  return ObjectFreeze(denial);
}

/** True for a value made by {@link deny} in any copy of Modu. */
export function isGuardDenial(value: unknown): value is GuardDenial {
  return ownValue(value, denialBrand) === true;
}
