// Captured when this module is first evaluated, before any plugin loads (the kernel imports it at start).
const { defineProperty, deleteProperty, getOwnPropertyDescriptor, getPrototypeOf, ownKeys, setPrototypeOf, apply } =
  Reflect;
const SafeMap = Map;
const mapForEach = Map.prototype.forEach;
const mapHas = Map.prototype.has;
const mapSet = Map.prototype.set;
const push = Array.prototype.push;

/** The built-ins ajv (compiling, and the validators it generates) reads through ordinary lookups. */
const GUARDED: readonly object[] = [
  Object.prototype,
  Array.prototype,
  Function.prototype,
  String.prototype,
  Number.prototype,
  Boolean.prototype,
  Symbol.prototype,
  RegExp.prototype,
  Map.prototype,
  Set.prototype,
  Promise.prototype,
  Error.prototype,
  Object,
  Array,
  String,
  Number,
  JSON,
  Math,
  RegExp,
  Reflect,
];

interface Snapshot {
  readonly target: object;
  readonly prototype: object | null;
  readonly properties: Map<PropertyKey, PropertyDescriptor>;
}

function snapshot(target: object): Snapshot {
  const properties = new SafeMap<PropertyKey, PropertyDescriptor>();
  const keys = ownKeys(target);
  for (let i = 0; i < keys.length; i++)
    apply(mapSet, properties, [keys[i], getOwnPropertyDescriptor(target, keys[i] as PropertyKey)]);
  return { target, prototype: getPrototypeOf(target), properties };
}

const SNAPSHOTS: readonly Snapshot[] = GUARDED.map(snapshot);
const SNAPSHOT_COUNT = SNAPSHOTS.length;

function same(a: PropertyDescriptor | undefined, b: PropertyDescriptor | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.value === b.value &&
    a.get === b.get &&
    a.set === b.set &&
    a.writable === b.writable &&
    a.enumerable === b.enumerable &&
    a.configurable === b.configurable
  );
}

/** How to put one changed property (or prototype) back as a plugin left it. */
type Undo = () => void;

function revert(shot: Snapshot, undo: Undo[]): void {
  const { target, properties } = shot;
  const prototype = getPrototypeOf(target);
  if (prototype !== shot.prototype && setPrototypeOf(target, shot.prototype)) {
    apply(push, undo, [() => setPrototypeOf(target, prototype)]);
  }
  const keys = ownKeys(target);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as PropertyKey;
    if (apply(mapHas, properties, [key])) continue;
    const added = getOwnPropertyDescriptor(target, key) as PropertyDescriptor;
    if (deleteProperty(target, key)) apply(push, undo, [() => defineProperty(target, key, added)]);
  }
  apply(mapForEach, properties, [
    (original: PropertyDescriptor, key: PropertyKey) => {
      const current = getOwnPropertyDescriptor(target, key);
      if (same(current, original) || !defineProperty(target, key, original)) return;
      apply(push, undo, [
        () => (current === undefined ? deleteProperty(target, key) : defineProperty(target, key, current)),
      ]);
    },
  ]);
}

/**
 * Runs `task` with the built-ins ajv relies on as they were when the host started, then puts back whatever a plugin
 * changed: a plugin that polluted `Object.prototype` (`type`, `properties`, `code`…) or replaced an array method would
 * otherwise bend or break the compiling and running of another plugin's config schema. The task is synchronous, so no
 * plugin code runs in between; a change the plugin made non-configurable cannot be undone and stays.
 */
export function withCleanIntrinsics<T>(task: () => T): T {
  const undo: Undo[] = [];
  for (let i = 0; i < SNAPSHOT_COUNT; i++) revert(SNAPSHOTS[i] as Snapshot, undo);
  try {
    return task();
  } finally {
    for (let i = undo.length - 1; i >= 0; i--) (undo[i] as Undo)();
  }
}
