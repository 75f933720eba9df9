// Captured when the primordials are first evaluated, before any plugin loads (the kernel imports this at start).
import {
  ArrayPrototypePush,
  MapPrototypeForEach,
  MapPrototypeHas,
  MapPrototypeSet,
  ObjectGetPrototypeOf,
  ReflectDefineProperty,
  ReflectDeleteProperty,
  ReflectGetOwnPropertyDescriptor,
  ReflectOwnKeys,
  ReflectSetPrototypeOf,
} from '../primordials.js';

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
  const properties = new Map<PropertyKey, PropertyDescriptor>();
  const keys = ReflectOwnKeys(target);
  for (let i = 0; i < keys.length; i++)
    MapPrototypeSet(
      properties,
      keys[i] as PropertyKey,
      ReflectGetOwnPropertyDescriptor(target, keys[i] as PropertyKey) as PropertyDescriptor,
    );
  return { target, prototype: ObjectGetPrototypeOf(target), properties };
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
  const prototype = ObjectGetPrototypeOf(target);
  if (prototype !== shot.prototype && ReflectSetPrototypeOf(target, shot.prototype)) {
    ArrayPrototypePush(undo, () => ReflectSetPrototypeOf(target, prototype));
  }
  const keys = ReflectOwnKeys(target);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as PropertyKey;
    if (MapPrototypeHas(properties, key)) continue;
    const added = ReflectGetOwnPropertyDescriptor(target, key) as PropertyDescriptor;
    if (ReflectDeleteProperty(target, key)) ArrayPrototypePush(undo, () => ReflectDefineProperty(target, key, added));
  }
  MapPrototypeForEach(properties, (original, key) => {
    const current = ReflectGetOwnPropertyDescriptor(target, key);
    if (same(current, original) || !ReflectDefineProperty(target, key, original)) return;
    ArrayPrototypePush(undo, () =>
      current === undefined ? ReflectDeleteProperty(target, key) : ReflectDefineProperty(target, key, current),
    );
  });
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
