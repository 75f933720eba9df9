import type { ESTree } from 'meriyah';
import { KeyFacts, patternNames } from './computed-keys.js';
import { foldString } from './fold-string.js';
import { isPatternTarget, mayBeShared } from './intrinsic-mutation.js';
import { isInspection, staticName } from './reference-context.js';

/** A computed member read whose key is judged once the whole file has been walked. */
interface PendingRead {
  readonly node: ESTree.Node;
  readonly key: ESTree.Node;
}

/** Where a computed member's value is not read (written, deleted) or only tested. */
function unreadContext(
  node: ESTree.Node,
  parent: ESTree.Node | undefined,
  grandparent: ESTree.Node | undefined,
): boolean {
  if (parent === undefined) return true;
  if (isInspection(parent)) return true;
  switch (parent.type) {
    case 'AssignmentExpression':
      return parent.left === node && parent.operator === '=';
    case 'UpdateExpression':
      return true;
    case 'UnaryExpression':
      return parent.operator === 'delete' || parent.operator === '!';
    case 'IfStatement':
    case 'WhileStatement':
    case 'DoWhileStatement':
    case 'ConditionalExpression':
      return parent.test === node;
    default:
      return node.type === 'MemberExpression' && isPatternTarget(node, parent, grandparent);
  }
}

/** Objects whose computed members reach nothing worse than a plain constructor (`Object`, `Array`, `String`). */
const LITERAL_OBJECTS = new Set(['ObjectExpression', 'ArrayExpression', 'Literal', 'TemplateLiteral']);
const REFLECTIVE = new Set(['Reflect.get', 'Reflect.getOwnPropertyDescriptor', 'Object.getOwnPropertyDescriptor']);

function calleeName(call: ESTree.CallExpression): string | undefined {
  const callee = call.callee;
  if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return undefined;
  const method = staticName(callee);
  return method === undefined ? undefined : `${callee.object.name}.${method}`;
}

/**
 * The Function constructor reached through a member key the scanner cannot prove harmless: `f[k]`, `{ [k]: F } = f`,
 * `Reflect.get(f, k)`, `Object.getOwnPropertyDescriptor(p, k)` where `k` may be `constructor` (or `__proto__`,
 * `prototype`, `caller`…). A key is harmless when it folds to a constant other than those, or can only be a number
 * or a boolean, or is a name to which every value written in the file is harmless (`const k = 'name'`, a loop
 * counter); anything built at run time (atob, Buffer, JSON.parse, char codes, an object with `Symbol.toPrimitive`, a
 * parameter) is not. Keys are judged after the walk, once every write in the file is known.
 */
export class ComputedReads {
  private readonly facts = new KeyFacts();
  private readonly pending: PendingRead[] = [];

  constructor(private readonly exempt: (ancestors: readonly ESTree.Node[]) => boolean) {}

  /** Records the values a node writes to names. */
  record(node: ESTree.Node, ancestors: readonly ESTree.Node[]): void {
    const unknown = (pattern: ESTree.Node | null | undefined) => {
      for (const name of patternNames(pattern)) this.facts.write(name, 'unknown');
    };
    switch (node.type) {
      case 'VariableDeclarator': {
        const loop = ancestors[ancestors.length - 3];
        const inLoopHead =
          (loop?.type === 'ForInStatement' || loop?.type === 'ForOfStatement') &&
          loop.left === ancestors[ancestors.length - 2];
        if (node.id.type === 'Identifier' && !inLoopHead) this.facts.write(node.id.name, node.init ?? 'harmless');
        else unknown(node.id);
        return;
      }
      case 'AssignmentExpression':
        if (node.left.type !== 'Identifier') unknown(node.left);
        else if (node.operator === '+=')
          this.facts.write(node.left.name, this.facts.numeric(node.right) ? 'harmless' : 'unknown');
        else if (['=', '&&=', '||=', '??='].includes(node.operator)) this.facts.write(node.left.name, node.right);
        else this.facts.write(node.left.name, 'harmless');
        return;
      case 'UpdateExpression':
        if (node.argument.type === 'Identifier') this.facts.write(node.argument.name, 'harmless');
        return;
      case 'ForInStatement':
      case 'ForOfStatement':
        if (node.left.type !== 'VariableDeclaration') unknown(node.left);
        return;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        for (const param of node.params) unknown(param);
        if (node.type !== 'ArrowFunctionExpression') unknown(node.id);
        return;
      case 'ClassDeclaration':
      case 'ClassExpression':
      case 'CatchClause':
        unknown(node.type === 'CatchClause' ? node.param : node.id);
        return;
      case 'ImportDeclaration':
        for (const spec of node.specifiers) unknown(spec.local);
        return;
      default:
        return;
    }
  }

  /** A computed member read (`o[k]`) whose key did not fold to a constant. */
  member(node: ESTree.MemberExpression, ancestors: readonly ESTree.Node[]): void {
    if (!node.computed || LITERAL_OBJECTS.has(node.object.type)) return;
    const parent = ancestors[ancestors.length - 2];
    if (unreadContext(node, parent, ancestors[ancestors.length - 3]) || this.exempt(ancestors)) return;
    this.pending.push({ node, key: node.property });
  }

  /** A destructuring pattern: `{ [k]: F } = f` reads `f[k]`. */
  pattern(node: ESTree.ObjectPattern): void {
    for (const property of node.properties) {
      if (property.type === 'Property' && property.computed && foldString(property.key) === undefined) {
        this.pending.push({ node: property, key: property.key });
      }
    }
  }

  /** `Reflect.get(o, k)` and `getOwnPropertyDescriptor(o, k)`, with a key that did not fold. */
  call(node: ESTree.CallExpression, ancestors: readonly ESTree.Node[]): ESTree.Node | undefined {
    const name = calleeName(node);
    if (name === 'Object.getOwnPropertyDescriptors') {
      const target = node.arguments[0];
      return target !== undefined && target.type !== 'SpreadElement' && mayBeShared(target) ? node : undefined;
    }
    if (name === undefined || !REFLECTIVE.has(name)) return undefined;
    const key = node.arguments[1];
    if (key === undefined) return undefined;
    if (key.type === 'SpreadElement') return node;
    if (foldString(key) === undefined && !this.exempt(ancestors)) this.pending.push({ node, key });
    return undefined;
  }

  /** The reads whose keys are not provably harmless, now that every write of the file is known. */
  unproven(): ESTree.Node[] {
    return this.pending.filter((read) => !this.facts.harmless(read.key)).map((read) => read.node);
  }
}
