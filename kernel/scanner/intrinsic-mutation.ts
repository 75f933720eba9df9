import type { ESTree } from 'meriyah';
import { HOST_GLOBALS, SHARED_GLOBALS } from './intrinsic-names.js';
import { staticName } from './reference-context.js';

/** How far down a member chain the scanner looks for a shared intrinsic. */
const MAX_CHAIN = 256;

function isGlobalObject(node: ESTree.Node): boolean {
  return node.type === 'Identifier' && (node.name === 'globalThis' || node.name === 'global');
}

/** Members that may lead from any value to a shared prototype or constructor. */
const LEADS_TO_SHARED = new Set(['__proto__', 'constructor']);

// Null-prototype: a callee named `toString` or `constructor` must not find Object.prototype's members here.
const MUTATORS: Readonly<Record<string, ReadonlySet<string>>> = Object.assign(Object.create(null), {
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
});
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
 * What a node writes into, for the shared-intrinsic rule: `members` written (an assignment, update or `delete` of
 * `a.b`, or a bare name, which may be a global's), or `changed`, an object a call changes as a whole
 * (`Object.defineProperty`/`assign`/`setPrototypeOf`/`freeze`, `Reflect.set`/`defineProperty`, `__defineGetter__`).
 */
export function writeTarget(node: ESTree.Node): { member?: ESTree.Node; changed?: ESTree.Node } | undefined {
  if (node.type === 'AssignmentExpression') return { member: node.left };
  if (node.type === 'UpdateExpression') return { member: node.argument };
  if (node.type === 'UnaryExpression' && node.operator === 'delete') return { member: node.argument };
  if (node.type !== 'CallExpression') return undefined;
  const changed = mutatorTarget(node);
  return changed === undefined ? undefined : { changed };
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
