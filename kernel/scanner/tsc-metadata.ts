import { type ESTree, parse } from 'meriyah';

/** The function of the `__metadata` helper tsc emits for `emitDecoratorMetadata`, parsed without offsets. */
const HELPER = (
  parse(
    '(function (k, v) { if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v); })',
  ).body[0] as ESTree.ExpressionStatement
).expression;

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

/**
 * True when the name `__metadata` occurs anywhere but as `declared`, as a callee or as a member name
 * (`this.__metadata`): any other occurrence may rebind it (an assignment, a destructuring, a hoisted function
 * declaration, a parameter). An explicit stack, so no depth of nesting overflows it.
 */
function rebindsHelper(program: ESTree.Program, declared: ESTree.Node): boolean {
  const pending: Array<[node: object, parent: ESTree.Node | undefined]> = [[program, undefined]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, parent] = next;
    const named = isNode(node) && node.type === 'Identifier' && node.name === '__metadata';
    if (named && node !== declared && !isCalleeOrMemberName(node, parent)) return true;
    const owner = isNode(node) ? node : parent;
    for (const child of Object.values(node)) {
      if (typeof child === 'object' && child !== null) pending.push([child, owner]);
    }
  }
  return false;
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
  for (const statement of program.body) {
    if (statement.type !== 'VariableDeclaration') continue;
    for (const d of statement.declarations) {
      if (d.id.type !== 'Identifier' || d.id.name !== '__metadata' || d.init?.type !== 'LogicalExpression') continue;
      return sameTree(d.init.right, HELPER) && !rebindsHelper(program, d.id);
    }
  }
  return false;
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
