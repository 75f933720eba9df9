import { ArrayIsArray, ObjectCreate, ObjectFreeze, ObjectKeys } from '../primordials.js';

/**
 * A deep copy of a JSON-like value whose objects have no prototype (arrays stay arrays), optionally frozen. A key
 * that plugin code added to `Object.prototype` then reads `undefined` on the copy, in the validator and in the
 * kernel code that reads the result alike.
 *
 * @example nullPrototypeCopy(JSON.parse(text)).routes // undefined even after Object.prototype.routes = { … }
 */
export function nullPrototypeCopy<T>(value: T, freeze = false): T {
  if (typeof value !== 'object' || value === null) return value;
  if (ArrayIsArray(value)) {
    const items: unknown[] = [];
    for (let i = 0; i < value.length; i++) items[i] = nullPrototypeCopy(value[i], freeze);
    return (freeze ? ObjectFreeze(items) : items) as T;
  }
  const copy = ObjectCreate(null) as Record<string, unknown>;
  const keys = ObjectKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    copy[key] = nullPrototypeCopy((value as Record<string, unknown>)[key], freeze);
  }
  return (freeze ? ObjectFreeze(copy) : copy) as T;
}
