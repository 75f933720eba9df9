/**
 * Globals every module of the process shares: built-in constructors and their prototypes, namespaces, the global
 * object. A local binding of one of these names is taken for the global, which can only over-report.
 */
export const SHARED_GLOBALS: ReadonlySet<string> = new Set(
  [
    'Object Array Function String Number Boolean Symbol BigInt Promise RegExp Map Set WeakMap WeakSet WeakRef',
    'FinalizationRegistry Error TypeError RangeError SyntaxError ReferenceError EvalError URIError AggregateError',
    'Date JSON Math Reflect Proxy Intl Atomics ArrayBuffer SharedArrayBuffer DataView Int8Array Uint8Array',
    'Uint8ClampedArray Int16Array Uint16Array Int32Array Uint32Array Float32Array Float64Array BigInt64Array',
    'BigUint64Array Iterator Buffer URL URLSearchParams TextEncoder TextDecoder AbortController AbortSignal',
    'EventTarget Event console globalThis global queueMicrotask setTimeout setInterval setImmediate structuredClone',
    'performance crypto Blob Headers Request Response FormData',
  ]
    .join(' ')
    .split(' '),
);

/** Globals outside the built-ins above that the host relies on: a plugin replacing one changes the host. */
export const HOST_GLOBALS: ReadonlySet<string> = new Set([
  'process',
  'fetch',
  'WebSocket',
  'EventSource',
  'require',
  'module',
  'eval',
  'Function',
  'clearTimeout',
  'clearInterval',
  'clearImmediate',
  'MessageChannel',
  'BroadcastChannel',
]);

/** Names under which the global object itself is reached. */
export const GLOBAL_OBJECT_NAMES: ReadonlySet<string> = new Set(['globalThis', 'global']);

/** Members of a shared built-in that hold primitives (strings, numbers, symbols): reading one hands out nothing. */
export const PRIMITIVE_MEMBERS: Readonly<Record<string, ReadonlySet<string>>> = Object.assign(Object.create(null), {
  '*': new Set(['length', 'name']),
  Symbol: new Set(
    'iterator asyncIterator hasInstance isConcatSpreadable match matchAll replace search species split toPrimitive toStringTag unscopables'.split(
      ' ',
    ),
  ),
  Number: new Set(
    'MAX_SAFE_INTEGER MIN_SAFE_INTEGER EPSILON MAX_VALUE MIN_VALUE NaN POSITIVE_INFINITY NEGATIVE_INFINITY'.split(' '),
  ),
  Math: new Set('PI E LN2 LN10 LOG2E LOG10E SQRT1_2 SQRT2'.split(' ')),
  Error: new Set(['stackTraceLimit']),
  Buffer: new Set(['poolSize']),
});

/** Functions that return a prototype whatever their argument: they may be called, never handed on. */
export const PROTOTYPE_READERS: ReadonlySet<string> = new Set([
  'Object.getPrototypeOf',
  'Reflect.getPrototypeOf',
  '*.__lookupGetter__',
  '*.__lookupSetter__',
]);

/** Functions that return what their first argument holds (its values, descriptors, a member): shared if it is. */
export const DERIVED_READERS: ReadonlySet<string> = new Set([
  'Object.getOwnPropertyDescriptor',
  'Object.getOwnPropertyDescriptors',
  'Reflect.getOwnPropertyDescriptor',
  'Reflect.get',
  'Object.values',
  'Object.entries',
]);

/** Functions that return their first argument (after changing it): shared if it is. */
export const RETURNS_TARGET: ReadonlySet<string> = new Set([
  'Object.assign',
  'Object.defineProperty',
  'Object.defineProperties',
  'Object.freeze',
  'Object.seal',
  'Object.preventExtensions',
  'Object.setPrototypeOf',
]);

/** Argument positions in which a shared built-in is only read, never written or handed on ('*': every one). */
export const READ_ONLY_ARGUMENTS: Readonly<Record<string, readonly number[] | '*'>> = Object.assign(
  Object.create(null),
  {
    'Object.keys': [0],
    'Object.getOwnPropertyNames': [0],
    'Object.getOwnPropertySymbols': [0],
    'Object.isFrozen': [0],
    'Object.isSealed': [0],
    'Object.isExtensible': [0],
    'Object.is': '*',
    'Object.hasOwn': [0],
    'Object.create': [0],
    'Object.setPrototypeOf': [1],
    'Reflect.setPrototypeOf': [1],
    'Object.getPrototypeOf': [0],
    'Reflect.getPrototypeOf': [0],
    'Reflect.has': [0],
    'Reflect.ownKeys': [0],
    'Reflect.isExtensible': [0],
    'Object.getOwnPropertyDescriptor': [0],
    'Object.getOwnPropertyDescriptors': [0],
    'Reflect.getOwnPropertyDescriptor': [0],
    'Reflect.get': [0],
    'Object.values': [0],
    'Object.entries': [0],
    'Array.isArray': '*',
    'Error.captureStackTrace': [1],
    'JSON.stringify': [0],
    String: '*',
    Number: '*',
    Boolean: '*',
    // util.inherits(ctor, superCtor) links ctor.prototype to superCtor.prototype: superCtor is only read.
    '*.inherits': [1],
    inherits: [1],
  },
);

/** Methods that only inspect their receiver: `Object.prototype.hasOwnProperty.call(shared, k)` reads `shared`. */
export const INSPECTING_METHODS: ReadonlySet<string> = new Set([
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toString',
]);

/**
 * Names of the methods every object or function inherits (from `Object.prototype` and `Function.prototype`): a write
 * into `x.hasOwnProperty` or `x.call` changes the shared method whatever `x` is (`x.call.call = …` hijacks every
 * `f.call.call` of the process). Taken from this realm when the scanner loads, before any plugin does.
 */
export const INHERITED_METHODS: ReadonlySet<string> = new Set(
  [Object.prototype, Function.prototype].flatMap((proto) =>
    Object.getOwnPropertyNames(proto).filter((name) => {
      const descriptor = Object.getOwnPropertyDescriptor(proto, name);
      return typeof descriptor?.value === 'function';
    }),
  ),
);
