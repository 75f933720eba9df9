import type { ESTree } from 'meriyah';
import { patternNames } from './computed-keys.js';
import { INSPECTING_METHODS, READ_ONLY_ARGUMENTS } from './intrinsic-names.js';
import type { SharedValues } from './intrinsic-values.js';
import { staticName } from './reference-context.js';

/**
 * How an expression's value is used by its parent: `continue` the parent is the same value or a step further
 * (a member read, parentheses, `a || b`), `safe` it is only read or called, `write` it is the target of a write
 * (judged by the write rule), `alias` it is stored in the named variables, `escape` it goes where the scanner cannot
 * follow it (an argument, a return, an element, an object's property…). `readOnlyOf` names the function whose
 * argument it is when that function only reads it: the verdict holds only while the file does not rebind that name.
 */
export type SharedUse =
  | { readonly kind: 'continue' | 'safe' | 'write' | 'escape' }
  | { readonly kind: 'alias'; readonly names: readonly string[]; readonly exported: boolean; readonly pattern: boolean }
  | { readonly kind: 'read-only'; readonly owner: string };

const CONTINUE = { kind: 'continue' } as const;
const SAFE = { kind: 'safe' } as const;
const WRITE = { kind: 'write' } as const;
const ESCAPE = { kind: 'escape' } as const;

/** Parents that only read, compare or test a value. */
const READING_PARENTS = new Set([
  'BinaryExpression',
  'ExpressionStatement',
  'IfStatement',
  'WhileStatement',
  'DoWhileStatement',
  'ForStatement',
  'SwitchStatement',
  'SwitchCase',
  'TemplateLiteral',
  'ClassDeclaration',
  'ClassExpression',
  'ForInStatement',
  'TaggedTemplateExpression',
]);

const TRANSPARENT = new Set(['ParenthesizedExpression', 'ChainExpression', 'AwaitExpression', 'LogicalExpression']);

/** Mutators whose first argument is written: judged by the write rule. */
const WRITES_FIRST =
  /^(Object\.(assign|defineProperty|defineProperties|setPrototypeOf|freeze|seal|preventExtensions)|Reflect\.(set|defineProperty|deleteProperty|setPrototypeOf|preventExtensions))$/;

/** Array methods that only call their first argument on each element. */
const ITERATION_METHODS = new Set([
  'map',
  'filter',
  'some',
  'every',
  'find',
  'findIndex',
  'findLast',
  'flatMap',
  'forEach',
]);
const CONVERSIONS = new Set(['String', 'Number', 'Boolean', 'BigInt']);

/**
 * `values.map(String)`, `list.filter(Boolean)`: a conversion function given to an array method, which only calls it.
 * The one use allowed on trust rather than proof (the receiver is not proven an array), for an idiom too common to
 * reject.
 */
function isConversion(node: ESTree.Node | undefined): boolean {
  return node?.type === 'Identifier' && CONVERSIONS.has(node.name);
}

function argumentUse(
  call: ESTree.CallExpression | ESTree.NewExpression,
  index: number,
  values: SharedValues,
): SharedUse {
  const callee = call.callee;
  const path = values.path(callee);
  if (index === 0 && path !== undefined && WRITES_FIRST.test(path)) return WRITE;
  const name = callee.type === 'MemberExpression' ? staticName(callee) : undefined;
  if (index === 0 && name !== undefined && ITERATION_METHODS.has(name) && isConversion(call.arguments[0])) return SAFE;
  const positions = (path === undefined ? undefined : READ_ONLY_ARGUMENTS[path]) ?? READ_ONLY_ARGUMENTS[`*.${name}`];
  if (positions === '*' || positions?.includes(index)) {
    const owner =
      callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' ? callee.object : undefined;
    return owner === undefined || typeof owner === 'string'
      ? { kind: 'read-only', owner: owner ?? '' }
      : { kind: 'read-only', owner: owner.type === 'Identifier' ? owner.name : '' };
  }
  if (callee.type !== 'MemberExpression' || values.of(callee.object) !== 'intrinsic') return ESCAPE;
  const method = callee.object.type === 'MemberExpression' ? staticName(callee.object) : undefined;
  // `Object.prototype.hasOwnProperty.call(shared, k)` only inspects; `Function.prototype.call.bind(method)` uncurries.
  if (name === 'call' && index === 0 && method !== undefined && INSPECTING_METHODS.has(method)) return SAFE;
  if (name === 'bind' && index === 0 && (method === 'call' || method === 'apply')) return SAFE;
  return ESCAPE;
}

function assignmentUse(parent: ESTree.AssignmentExpression, node: ESTree.Node): SharedUse {
  if (parent.left === node) return WRITE;
  const left = parent.left;
  if (left.type === 'MemberExpression') return ESCAPE;
  return { kind: 'alias', names: patternNames(left), exported: false, pattern: left.type !== 'Identifier' };
}

function declaratorUse(
  parent: ESTree.VariableDeclarator,
  grandparent: ESTree.Node | undefined,
  above: ESTree.Node | undefined,
): SharedUse {
  const exported = grandparent?.type === 'VariableDeclaration' && above?.type === 'ExportNamedDeclaration';
  return { kind: 'alias', names: patternNames(parent.id), exported, pattern: parent.id.type !== 'Identifier' };
}

/** How the node at the end of `ancestors` is used by its parent (see {@link SharedUse}). */
export function sharedUse(ancestors: readonly ESTree.Node[], values: SharedValues): SharedUse {
  const at = ancestors.length - 1;
  const node = ancestors[at] as ESTree.Node;
  const parent = ancestors[at - 1];
  if (parent === undefined) return SAFE;
  if (TRANSPARENT.has(parent.type)) return CONTINUE;
  if (READING_PARENTS.has(parent.type)) return SAFE;
  switch (parent.type) {
    case 'MemberExpression':
      return parent.object === node ? CONTINUE : SAFE;
    case 'SequenceExpression':
      return parent.expressions[parent.expressions.length - 1] === node ? CONTINUE : SAFE;
    case 'ConditionalExpression':
      return parent.test === node ? SAFE : CONTINUE;
    case 'UnaryExpression':
      return parent.operator === 'delete' ? WRITE : SAFE;
    case 'UpdateExpression':
    case 'ArrayPattern':
    case 'RestElement':
      return WRITE;
    case 'CallExpression':
    case 'NewExpression':
      return parent.callee === node ? SAFE : argumentUse(parent, parent.arguments.indexOf(node as never), values);
    case 'AssignmentExpression':
      return assignmentUse(parent, node);
    case 'AssignmentPattern':
      if (parent.left === node) return WRITE;
      return {
        kind: 'alias',
        names: patternNames(parent.left),
        exported: false,
        pattern: parent.left.type !== 'Identifier',
      };
    case 'VariableDeclarator':
      return declaratorUse(parent, ancestors[at - 2], ancestors[at - 3]);
    case 'Property':
      if (parent.key === node) return SAFE;
      return ancestors[at - 2]?.type === 'ObjectPattern' ? WRITE : ESCAPE;
    case 'PropertyDefinition':
    case 'MethodDefinition':
      return parent.key === node ? SAFE : ESCAPE;
    case 'ForOfStatement':
      return parent.left === node ? WRITE : ESCAPE;
    default:
      return ESCAPE;
  }
}
