import type { ESTree } from 'meriyah';
import { foldString } from './fold-string.js';
import { ROOT_BY_NAME } from './sensitive-roots.js';

/** How far up the scanner looks for an enclosing function or class. */
const MAX_SCOPE_SEARCH = 256;

/** Parents in which reading `.constructor` only inspects it. */
const CONSTRUCTOR_READS = new Set([
  'BinaryExpression',
  'UnaryExpression',
  'ExpressionStatement',
  'IfStatement',
  'TemplateLiteral',
]);
const SAFE_COMPARISONS = new Set(['===', '!==', '==', '!=', 'instanceof', 'in']);
export const SENSITIVE_MEMBERS = new Set([
  'constructor',
  'binding',
  'dlopen',
  'mainModule',
  'getBuiltinModule',
  'caller',
]);
for (const name of ['callee', '_linkedBinding', 'createRequire', 'prepareStackTrace', ...Object.keys(ROOT_BY_NAME)])
  SENSITIVE_MEMBERS.add(name);

/** True when the parent only inspects the value: `typeof x`, `x === y`, a bare statement. */
export function isInspection(parent: ESTree.Node): boolean {
  if (parent.type === 'UnaryExpression') return parent.operator === 'typeof';
  if (parent.type === 'BinaryExpression') return SAFE_COMPARISONS.has(parent.operator);
  return parent.type === 'ExpressionStatement';
}

function isStrictBody(body: readonly ESTree.Node[]): boolean {
  const first = body[0];
  return first?.type === 'ExpressionStatement' && first.directive === 'use strict';
}

/**
 * True when `this` inside a sloppy-mode function (not arrow, method or class) is used as a value: called
 * plainly, such a function gets the global object as `this`, which then escapes the scanner's view.
 */
export function escapesSloppyThis(node: ESTree.Node, ancestors: readonly ESTree.Node[]): boolean {
  const parent = ancestors[ancestors.length - 2];
  if (parent?.type === 'MemberExpression' && parent.object === node) return false;
  return mayBeGlobalThis(ancestors);
}

/**
 * True when `this` at the end of `ancestors` (in a CommonJS script) may be the global object: inside a sloppy-mode
 * function (arrows see their outer `this`), which gets the global object as `this` when called plainly. An object
 * literal's methods and accessors are such functions too (`o.m.call(undefined)`); class bodies are strict.
 */
export function mayBeGlobalThis(ancestors: readonly ESTree.Node[]): boolean {
  if (ancestors[0]?.type === 'Program' && isStrictBody(ancestors[0].body)) return false;
  // Past MAX_SCOPE_SEARCH levels of nesting the answer is "may be": conservative, and linear on hostile input.
  const stop = Math.max(0, ancestors.length - MAX_SCOPE_SEARCH);
  for (let i = ancestors.length - 2; i >= 0; i--) {
    if (i < stop) return true;
    const scope = ancestors[i];
    if (scope === undefined || scope.type === 'ArrowFunctionExpression') continue;
    if (scope.type === 'ClassBody') return false;
    if (scope.type !== 'FunctionExpression' && scope.type !== 'FunctionDeclaration') continue;
    if (ancestors[i - 1]?.type === 'MethodDefinition') return false;
    return !(scope.body?.type === 'BlockStatement' && isStrictBody(scope.body.body));
  }
  return false;
}

/**
 * True when `arguments` is read outside every non-arrow function: in a CommonJS module that is the module
 * wrapper's own arguments, `[exports, require, module, __filename, __dirname]`. Beyond the search depth: true.
 */
export function isWrapperArguments(ancestors: readonly ESTree.Node[]): boolean {
  const stop = Math.max(0, ancestors.length - MAX_SCOPE_SEARCH);
  for (let i = ancestors.length - 2; i >= 0; i--) {
    if (i < stop) return true;
    const type = ancestors[i]?.type;
    if (type === 'FunctionExpression' || type === 'FunctionDeclaration') return false;
  }
  return true;
}

const REFLECTIVE_READS = new Set(['get', 'getOwnPropertyDescriptor']);

/**
 * The key argument of `Reflect.get(o, key)` or `Object/Reflect.getOwnPropertyDescriptor(o, key)` when it folds
 * to a sensitive member (`constructor`, `binding`, …): such a call reads what a member expression would,
 * without one.
 */
export function reflectiveKey(call: ESTree.CallExpression): { name: string } | undefined {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return undefined;
  const owner = callee.object.name;
  const method = staticName(callee);
  if ((owner !== 'Reflect' && owner !== 'Object') || method === undefined || !REFLECTIVE_READS.has(method)) {
    return undefined;
  }
  if (owner === 'Object' && method === 'get') return undefined;
  const key = call.arguments[1];
  const name = key === undefined || key.type === 'SpreadElement' ? undefined : foldString(key);
  // An unfoldable key is no more suspicious than `object[key]`, which TypeScript's own helpers are full of.
  return name !== undefined && SENSITIVE_MEMBERS.has(name) ? { name } : undefined;
}

/** True when a class body encloses the node within {@link MAX_SCOPE_SEARCH} levels (beyond: assumed not). */
export function insideClass(ancestors: readonly ESTree.Node[]): boolean {
  for (let i = ancestors.length - 1; i >= Math.max(0, ancestors.length - MAX_SCOPE_SEARCH); i--) {
    if (ancestors[i]?.type === 'ClassBody') return true;
  }
  return false;
}

export function staticName(node: ESTree.MemberExpression): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
  return foldString(node.property);
}

/** True when calling the Function constructor with these arguments can only build harmless code: none, or no strings. */
function harmlessSource(args: readonly ESTree.Node[]): boolean {
  return args.every(
    (arg) =>
      (arg.type === 'Literal' && typeof arg.value !== 'string') ||
      (arg.type === 'UnaryExpression' && arg.operator !== 'typeof' && arg.argument.type === 'Literal'),
  );
}

/**
 * Where and why reading `.constructor` may reach the Function constructor, or undefined when it only inspects. In a
 * class's instance method, `new this.constructor(…)` builds the class itself only while the method runs on an
 * instance: called on a function (`C.prototype.m.call(fn, …)`), `this.constructor` is the Function constructor. Such
 * a use is returned with `method` (the method's name, `*` when computed) instead of a message: it is a finding only
 * where some code of the plugin may call that method with another receiver (see `MethodRetargets`).
 */
export function constructorUse(
  node: ESTree.MemberExpression,
  ancestors: readonly ESTree.Node[],
): { node: ESTree.Node; message: string; method?: string } | undefined {
  const parent = ancestors[ancestors.length - 2];
  if (parent === undefined) return undefined;
  // `Child.prototype.constructor = Child` writes the member; it reads nothing.
  if (parent.type === 'AssignmentExpression' && parent.left === node && parent.operator === '=') return undefined;
  const isThis = node.object.type === 'ThisExpression' && thisIsInstance(ancestors);
  if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node) {
    if (harmlessSource(parent.arguments)) return undefined;
    const message = 'calls .constructor, which reaches the Function constructor';
    if (!isThis) return { node, message };
    // An arrow in an instance field keeps the instance it was made for as `this`: no other receiver reaches it.
    const method = instanceMethodName(ancestors);
    return method === undefined ? undefined : { node, message, method };
  }
  if (parent.type === 'MemberExpression' && parent.object === node) {
    const next = staticName(parent);
    if (next === 'constructor')
      return { node: parent, message: '.constructor.constructor is the Function constructor' };
    // `.constructor.call(null, code)` is the Function constructor called by another name.
    if (next === undefined || next === 'call' || next === 'apply' || next === 'bind') {
      return { node: parent, message: `.constructor.${next ?? '[…]'} may call the Function constructor` };
    }
    return undefined;
  }
  if (isThis || CONSTRUCTOR_READS.has(parent.type)) return undefined;
  return { node, message: '.constructor used as a value may be the Function constructor' };
}

/** The name of the instance method (or `*` for a computed one) whose body holds the end of `ancestors`, if any. */
function instanceMethodName(ancestors: readonly ESTree.Node[]): string | undefined {
  for (let i = ancestors.length - 2; i >= Math.max(1, ancestors.length - MAX_SCOPE_SEARCH); i--) {
    const scope = ancestors[i];
    if (scope?.type === 'PropertyDefinition') return undefined;
    if (scope?.type !== 'FunctionExpression') continue;
    const owner = ancestors[i - 1];
    if (owner?.type !== 'MethodDefinition' || owner.key === null) return undefined;
    const key = owner.key as ESTree.Node;
    if (!owner.computed && key.type === 'Identifier') return key.name;
    return foldString(key) ?? '*';
  }
  return undefined;
}

/**
 * True when `this` at the end of `ancestors` is an instance of a class of the plugin's own: inside a constructor, an
 * instance method or an instance field, arrows included. In a static block or static method `this` is the class, whose
 * `constructor` is the Function constructor; in a plain function it may be anything.
 */
function thisIsInstance(ancestors: readonly ESTree.Node[]): boolean {
  const stop = Math.max(0, ancestors.length - MAX_SCOPE_SEARCH);
  for (let i = ancestors.length - 2; i >= stop; i--) {
    const scope = ancestors[i];
    if (scope === undefined || scope.type === 'ArrowFunctionExpression') continue;
    if (scope.type === 'StaticBlock') return false;
    if (scope.type === 'PropertyDefinition') return !scope.static;
    if (scope.type === 'FunctionExpression' || scope.type === 'FunctionDeclaration') {
      const owner = ancestors[i - 1];
      return owner?.type === 'MethodDefinition' && !owner.static;
    }
  }
  return false;
}

/** The property of an object pattern that destructures `constructor`, if any. */
export function constructorKey(pattern: ESTree.ObjectPattern): ESTree.Node | undefined {
  for (const property of pattern.properties) {
    if (property.type === 'RestElement') continue;
    const key = property.key;
    const name = property.computed ? foldString(key) : key.type === 'Identifier' ? key.name : foldString(key);
    if (name === 'constructor') return property;
  }
  return undefined;
}
