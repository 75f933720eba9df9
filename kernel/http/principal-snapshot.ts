import type { Principal } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { ArrayIsArray, NULL_PROTOTYPE, ObjectCreate, ObjectFreeze, ObjectKeys, ownValue } from '../primordials.js';

function invalid(owner: string, why: string): ModuError {
  return new ModuError('MODU_GUARD_PRINCIPAL_INVALID', `Plugin '${owner}' set ctx.principal ${why}.`, {
    details: { plugin: owner },
  });
}

function strings(value: unknown): readonly string[] | undefined {
  if (!ArrayIsArray(value)) return undefined;
  const copy: string[] = [];
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'string') return undefined;
    copy[i] = value[i] as string;
  }
  return ObjectFreeze(copy);
}

/**
 * What the host keeps when a guard sets `ctx.principal`: a frozen, null-prototype copy of the object's own fields,
 * `permissions` (and `roles`) as frozen arrays of strings. Neither the guard's later changes to its object nor a
 * polluted Object.prototype reach the permission check or the other plugins reading it.
 *
 * @throws ModuError `MODU_GUARD_PRINCIPAL_INVALID` when `id` is not a string or `permissions` not a string array.
 */
export function principalSnapshot(value: unknown, owner: string): Principal | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw invalid(owner, 'to something that is not an object');
  if (typeof ownValue(value, 'id') !== 'string') throw invalid(owner, 'without a string `id`');
  const permissions = strings(ownValue(value, 'permissions') ?? []);
  if (permissions === undefined) throw invalid(owner, 'with `permissions` that is not an array of strings');
  const copy = ObjectCreate(NULL_PROTOTYPE) as Record<string, unknown>;
  const keys = ObjectKeys(value);
  for (let i = 0; i < keys.length; i++) copy[keys[i] as string] = (value as Record<string, unknown>)[keys[i] as string];
  copy.permissions = permissions;
  const roles = ownValue(value, 'roles');
  if (roles !== undefined) copy.roles = strings(roles) ?? roles;
  return ObjectFreeze(copy) as unknown as Principal;
}
