// The intrinsics the host's security decisions use, captured when this module is first evaluated: before any
// plugin loads. A plugin runs in the host's realm and can replace `Array.prototype.includes`,
// `Function.prototype.call` or `Map.prototype.get`, or add `Object.prototype.permissions`; code written with the
// functions below (Node core's primordials pattern) keeps deciding the same way. Iteration in those paths uses
// indexed loops: `for…of`, spread and array destructuring go through the replaceable array iterator.

const { bind, call } = Function.prototype;

/** `uncurryThis(Array.prototype.includes)(list, x)` calls the captured method, whatever the prototype holds later. */
const uncurryThis: <T, A extends readonly unknown[], R>(fn: (this: T, ...args: A) => R) => (self: T, ...args: A) => R =
  bind.bind(call) as never;

/** Own-property test that a replaced `hasOwnProperty` or a polluted prototype cannot answer. */
export const ObjectHasOwn: (object: object, key: PropertyKey) => boolean = Object.hasOwn;
export const ObjectFreeze = Object.freeze;
export const ObjectCreate = Object.create;
export const ObjectDefineProperty = Object.defineProperty;
export const ObjectGetPrototypeOf = Object.getPrototypeOf;
export const ObjectKeys = Object.keys;
export const ObjectIsFrozen = Object.isFrozen;
export const ReflectOwnKeys = Reflect.ownKeys;
export const ReflectGetOwnPropertyDescriptor = Reflect.getOwnPropertyDescriptor;
export const ArrayIsArray = Array.isArray;
export const ReflectApply = Reflect.apply;
export const ReflectDefineProperty = Reflect.defineProperty;
export const ReflectDeleteProperty = Reflect.deleteProperty;
export const ReflectSetPrototypeOf = Reflect.setPrototypeOf;

export const ArrayPrototypeIndexOf: <T>(self: readonly T[], value: T) => number = uncurryThis(
  Array.prototype.indexOf,
) as never;
export const ArrayPrototypeIncludes: <T>(self: readonly T[], value: T) => boolean = uncurryThis(
  Array.prototype.includes,
) as never;
export const ArrayPrototypeJoin: (self: readonly unknown[], separator: string) => string = uncurryThis(
  Array.prototype.join,
) as never;
export const ArrayPrototypePush: <T>(self: T[], value: T) => number = uncurryThis(Array.prototype.push) as never;
export const ArrayPrototypeSlice: <T>(self: readonly T[], start?: number, end?: number) => T[] = uncurryThis(
  Array.prototype.slice,
) as never;

export const StringPrototypeStartsWith = uncurryThis(String.prototype.startsWith);
export const FunctionPrototypeBind: (fn: (...args: never[]) => unknown, self: unknown) => unknown = uncurryThis(
  bind as never,
) as never;
export const StringPrototypeEndsWith = uncurryThis(String.prototype.endsWith);
export const StringPrototypeSlice = uncurryThis(String.prototype.slice);
export const StringPrototypeIndexOf = uncurryThis(String.prototype.indexOf);
export const StringPrototypeLastIndexOf = uncurryThis(String.prototype.lastIndexOf);
export const StringPrototypeIncludes = uncurryThis(String.prototype.includes);
export const StringPrototypeToLowerCase = uncurryThis(String.prototype.toLowerCase);
export const StringPrototypeCharCodeAt = uncurryThis(String.prototype.charCodeAt);
export const RegExpPrototypeExec = uncurryThis(RegExp.prototype.exec);
export const SetPrototypeHas: <T>(self: ReadonlySet<T>, value: T) => boolean = uncurryThis(Set.prototype.has) as never;
export const MapPrototypeGet: <K, V>(self: ReadonlyMap<K, V>, key: K) => V | undefined = uncurryThis(
  Map.prototype.get,
) as never;
export const MapPrototypeSet: <K, V>(self: Map<K, V>, key: K, value: V) => Map<K, V> = uncurryThis(
  Map.prototype.set,
) as never;
export const MapPrototypeHas: <K, V>(self: ReadonlyMap<K, V>, key: K) => boolean = uncurryThis(
  Map.prototype.has,
) as never;
export const MapPrototypeForEach: <K, V>(self: ReadonlyMap<K, V>, each: (value: V, key: K) => void) => void =
  uncurryThis(Map.prototype.forEach) as never;
export const MapPrototypeDelete: <K, V>(self: Map<K, V>, key: K) => boolean = uncurryThis(
  Map.prototype.delete,
) as never;

/**
 * A frozen, empty object with no prototype. Objects made with `ObjectCreate(NULL_PROTOTYPE)` read `undefined` for any
 * key they lack, whatever is added to Object.prototype, like `Object.create(null)` ones; unlike those, V8 keeps them in
 * fast mode (several times cheaper to fill and freeze, which matters for per-request copies).
 */
export const NULL_PROTOTYPE: object = ObjectFreeze(ObjectCreate(null) as object);

/**
 * The own value of `key`, never one inherited from a (possibly polluted) prototype.
 *
 * @example ownValue(principal, 'permissions') // undefined even after Object.prototype.permissions = ['*']
 */
export function ownValue<T = unknown>(object: unknown, key: PropertyKey): T | undefined {
  if ((typeof object !== 'object' && typeof object !== 'function') || object === null) return undefined;
  return ObjectHasOwn(object, key) ? ((object as Record<PropertyKey, unknown>)[key] as T) : undefined;
}

/** Splits `text` at `separator` with a loop over captured methods (never a replaceable `split`). */
export function splitString(text: string, separator: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (;;) {
    const at = StringPrototypeIndexOf(text, separator, from);
    if (at < 0) break;
    ArrayPrototypePush(parts, StringPrototypeSlice(text, from, at));
    from = at + separator.length;
  }
  ArrayPrototypePush(parts, StringPrototypeSlice(text, from));
  return parts;
}

function capture<P extends object>(proto: P, names: readonly string[]): PropertyDescriptorMap {
  const descriptors: PropertyDescriptorMap = { __proto__: null } as never;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    descriptors[name] = Object.getOwnPropertyDescriptor(proto, name) as PropertyDescriptor;
  }
  return descriptors;
}

const mapMethods = capture(Map.prototype, ['get', 'set', 'has', 'delete', 'clear', 'size', 'forEach']);
const setMethods = capture(Set.prototype, ['add', 'has', 'delete', 'clear', 'size', 'forEach']);

/** A Map whose get/set/has/delete are the ones captured at start: replacing `Map.prototype.get` does not reach it. */
export class SafeMap<K, V> extends Map<K, V> {}
Object.defineProperties(SafeMap.prototype, mapMethods);
ObjectFreeze(SafeMap.prototype);

/** A Set whose add/has/delete are the ones captured at start. */
export class SafeSet<T> extends Set<T> {}
Object.defineProperties(SafeSet.prototype, setMethods);
ObjectFreeze(SafeSet.prototype);
