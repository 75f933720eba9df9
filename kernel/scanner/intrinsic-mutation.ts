import type { ESTree } from 'meriyah';
import { staticName } from './reference-context.js';

/** How far down a member chain the scanner looks for a shared intrinsic. */
const MAX_CHAIN = 256;

/**
 * Globals every module of the process shares: built-in constructors and their prototypes, namespaces, the global
 * object. A local binding of one of these names is taken for the global, which can only over-report.
 */
const SHARED_GLOBALS = new Set(
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
const HOST_GLOBALS = new Set(['process', 'fetch', 'WebSocket', 'EventSource', 'require', 'module', 'eval', 'Function']);
for (const name of ['clearTimeout', 'clearInterval', 'clearImmediate', 'MessageChannel', 'BroadcastChannel']) {
  HOST_GLOBALS.add(name);
}

function isGlobalObject(node: ESTree.Node): boolean {
  return node.type === 'Identifier' && (node.name === 'globalThis' || node.name === 'global');
}

/** Members that may lead from any value to a shared prototype or constructor. */
const LEADS_TO_SHARED = new Set(['__proto__', 'constructor']);

const MUTATORS: Readonly<Record<string, ReadonlySet<string>>> = {
  Object: new Set([
    'defineProperty',
    'defineProperties',
    'assign',
    'setPrototypeOf',
    'freeze',
    'seal',
    'preventExtensions',
  ]),
  Reflect: new Set(['set', 'defineProperty', 'deleteProperty', 'setPrototypeOf', 'preventExtensions']),
};
const ACCESSOR_DEFINERS = new Set(['__defineGetter__', '__defineSetter__']);

function isPrototypeGetter(node: ESTree.CallExpression): boolean {
  const callee = node.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return false;
  const owner = callee.object.name;
  return (owner === 'Object' || owner === 'Reflect') && staticName(callee) === 'getPrototypeOf';
}

/**
 * True when an expression may evaluate to a shared intrinsic, or to something reached from one: a shared global
 * (`Array`, `Math`, `globalThis`), any member of one (`Array.prototype`, `Object.prototype.toString`), any value's
 * `__proto__` or `constructor`, a member whose name is computed (it may be one of those), or
 * `Object.getPrototypeOf(…)`. A plugin's own class (`Money.prototype`) is none of these.
 */
export function mayBeShared(node: ESTree.Node): boolean {
  let current: ESTree.Node = node;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (current.type === 'Identifier') return SHARED_GLOBALS.has(current.name);
    if (current.type === 'CallExpression') return isPrototypeGetter(current);
    if (current.type === 'ParenthesizedExpression') {
      current = current.expression;
      continue;
    }
    if (current.type !== 'MemberExpression') return false;
    const name = staticName(current);
    if (name === undefined || LEADS_TO_SHARED.has(name)) return true;
    // A global of the plugin's own making (`globalThis.myCounter`) is no built-in: only the known ones are shared.
    if (isGlobalObject(current.object) && !SHARED_GLOBALS.has(name) && !HOST_GLOBALS.has(name)) return false;
    current = current.object;
  }
  return true;
}

function mutatorTarget(node: ESTree.CallExpression): ESTree.Node | undefined {
  const callee = node.callee;
  if (callee.type !== 'MemberExpression') return undefined;
  const method = staticName(callee);
  if (method === undefined) return undefined;
  // `x.__defineGetter__('y', …)` mutates x itself.
  if (ACCESSOR_DEFINERS.has(method)) return callee.object;
  if (callee.object.type !== 'Identifier' || MUTATORS[callee.object.name]?.has(method) !== true) return undefined;
  const first = node.arguments[0];
  return first === undefined || first.type === 'SpreadElement' ? undefined : first;
}

/**
 * The node of a change to a shared intrinsic, or undefined: an assignment, update or `delete` of a member of one
 * (`Array.prototype.x = …`, `Math.random = …`, `x.__proto__.y = …`, `Object.getPrototypeOf(x).y = …`), or a call
 * that changes one (`Object.defineProperty`/`assign`/`setPrototypeOf`/`freeze`, `Reflect.set`/`defineProperty`,
 * `__defineGetter__`). Every module of the process, the host's included, sees such a change.
 */
export function intrinsicMutation(node: ESTree.Node): ESTree.Node | undefined {
  // `globalThis.x = …` writes the global object, shared when x is a built-in or host global (see mayBeShared).
  let target: ESTree.Node | undefined;
  if (node.type === 'AssignmentExpression') target = node.left;
  else if (node.type === 'UpdateExpression') target = node.argument;
  else if (node.type === 'UnaryExpression' && node.operator === 'delete') target = node.argument;
  else if (node.type === 'CallExpression') {
    const changed = mutatorTarget(node);
    return changed !== undefined && mayBeShared(changed) ? node : undefined;
  }
  if (target?.type !== 'MemberExpression') return undefined;
  if (isGlobalObject(target.object)) return mayBeShared(target) ? node : undefined;
  return mayBeShared(target.object) ? node : undefined;
}

/** True when a member expression is written by a destructuring pattern: `[Array.prototype.x] = …`. */
export function isPatternTarget(
  node: ESTree.MemberExpression,
  parent: ESTree.Node | undefined,
  grandparent: ESTree.Node | undefined,
): boolean {
  if (parent === undefined) return false;
  if (parent.type === 'ArrayPattern' || parent.type === 'RestElement') return true;
  if (parent.type === 'AssignmentPattern') return (parent.left as ESTree.Node) === node;
  if (parent.type === 'Property') return parent.value === node && grandparent?.type === 'ObjectPattern';
  return (
    (parent.type === 'ForInStatement' || parent.type === 'ForOfStatement') && (parent.left as ESTree.Node) === node
  );
}
