import { type ESTree, parse } from 'meriyah';
import { DANGEROUS_KEYS } from './computed-keys.js';
import { mayBeShared } from './intrinsic-mutation.js';

const expressionOf = (code: string) => (parse(code).body[0] as ESTree.ExpressionStatement).expression;

/** The function of the `__metadata` helper tsc emits for `emitDecoratorMetadata`, parsed without offsets. */
const HELPER = expressionOf(
  '(function (k, v) { if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v); })',
);

/** The function of the `__decorate` helper tsc emits for decorators, parsed without offsets. */
const DECORATE = expressionOf(
  [
    '(function (decorators, target, key, desc) {',
    'var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;',
    'if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);',
    'else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;',
    'return c > 3 && r && Object.defineProperty(target, key, r), r; })',
  ].join('\n'),
);

const OFFSETS = new Set(['start', 'end', 'range']);

/** True when a syntax tree is the expected one but for its offsets: comments and layout do not count. */
function sameTree(tree: unknown, expected: unknown): boolean {
  if (typeof tree !== 'object' || tree === null || typeof expected !== 'object' || expected === null) {
    return tree === expected;
  }
  const keys = Object.keys(expected);
  const treeKeys = Object.keys(tree).filter((key) => !OFFSETS.has(key));
  return (
    treeKeys.length === keys.length &&
    keys.every((key) => sameTree((tree as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key]))
  );
}

function isNode(value: object): value is ESTree.Node {
  return typeof (value as { type?: unknown }).type === 'string';
}

/** Calls `visit` with every node of the program and its parent; stops at the first true. An explicit stack. */
function someNode(program: ESTree.Program, visit: (node: ESTree.Node, parent: ESTree.Node | undefined) => boolean) {
  const pending: Array<[node: object, parent: ESTree.Node | undefined]> = [[program, undefined]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, parent] = next;
    if (isNode(node) && visit(node, parent)) return true;
    const owner = isNode(node) ? node : parent;
    for (const child of Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push([child, owner]);
    }
  }
  return false;
}

/**
 * True when the name `name` occurs anywhere but as `declared`, as a callee or as a member name (`this.__metadata`):
 * any other occurrence may rebind it (an assignment, a destructuring, a hoisted function declaration, a parameter).
 * `Reflect` named anywhere but as a member's object (`Reflect.metadata`) or a `typeof` operand may be a binding of
 * the file's own, whose `metadata` would receive what the helper is given.
 */
function rebindsHelper(program: ESTree.Program, declared: ESTree.Node, name: string): boolean {
  return someNode(program, (node, parent) => {
    if (node.type !== 'Identifier') return false;
    if (node.name === 'Reflect')
      return !(parent?.type === 'MemberExpression' && parent.object === node) && parent?.type !== 'UnaryExpression';
    return node.name === name && node !== declared && !isCalleeOrMemberName(node, parent);
  });
}

/** A target tsc passes `__decorate`: a class of the file's own (`C`) or its prototype, never a shared intrinsic. */
function isOwnTarget(node: ESTree.Node | undefined): boolean {
  if (node?.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    return node.property.name === 'prototype' && isOwnTarget(node.object);
  }
  return node?.type === 'Identifier' && !mayBeShared(node);
}

/** True when every call of `__decorate` passes what tsc passes: its own class (or prototype) and a literal key. */
function decoratesOnlyOwnMembers(program: ESTree.Program): boolean {
  return !someNode(program, (node) => {
    if (node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== '__decorate') {
      return false;
    }
    const [, target, key] = node.arguments;
    const literalKey =
      key === undefined || (key.type === 'Literal' && typeof key.value === 'string' && !DANGEROUS_KEYS.has(key.value));
    return !(isOwnTarget(target) && literalKey);
  });
}

function isCalleeOrMemberName(node: ESTree.Node, parent: ESTree.Node | undefined): boolean {
  if (parent?.type === 'CallExpression') return parent.callee === node;
  return parent?.type === 'MemberExpression' && parent.property === node && !parent.computed;
}

/**
 * True when an ES module declares tsc's own `__metadata` helper, unchanged and never rebound. Its
 * `design:*` calls then only pass types (`Function`, `Object`, classes) to `Reflect.metadata`, so
 * those references are not escapes. In an ES module `this` is undefined, so the helper cannot be
 * swapped through `this.__metadata` as it could in CommonJS.
 */
export function declaresTscMetadataHelper(program: ESTree.Program): boolean {
  const helper = declaredHelper(program, '__metadata');
  return helper !== undefined && sameTree(helper.function, HELPER) && !rebindsHelper(program, helper.id, '__metadata');
}

function declaredHelper(program: ESTree.Program, name: string): { id: ESTree.Node; function: ESTree.Node } | undefined {
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of statement.declarations) {
      if (d.id.type !== 'Identifier' || d.id.name !== name || d.init?.type !== 'LogicalExpression') continue;
      return { id: d.id, function: d.init.right };
    }
  }
  return undefined;
}

/**
 * The function of tsc's own `__decorate` helper when an ES module declares it unchanged, never rebinds it, and calls
 * it only as tsc does (on its own classes, with literal member names): its `getOwnPropertyDescriptor(target, key)`
 * then reads only the file's own members, which the file could name directly. Undefined otherwise.
 */
export function tscDecorateHelper(program: ESTree.Program): ESTree.Node | undefined {
  const helper = declaredHelper(program, '__decorate');
  if (helper === undefined || !sameTree(helper.function, DECORATE)) return undefined;
  if (rebindsHelper(program, helper.id, '__decorate') || !decoratesOnlyOwnMembers(program)) return undefined;
  return helper.function;
}

/** True for a value passed as the type in `__metadata("design:…", value)`, directly or in its array. */
export function isDesignMetadataArgument(node: ESTree.Node, ancestors: readonly ESTree.Node[], index: number): boolean {
  let parent = ancestors[index - 1];
  let argument: ESTree.Node = node;
  if (parent?.type === 'ArrayExpression') {
    argument = parent;
    parent = ancestors[index - 2];
  }
  if (parent?.type !== 'CallExpression' || parent.callee.type !== 'Identifier' || parent.callee.name !== '__metadata') {
    return false;
  }
  const [key, value] = parent.arguments;
  return (
    value === argument && key?.type === 'Literal' && typeof key.value === 'string' && key.value.startsWith('design:')
  );
}
