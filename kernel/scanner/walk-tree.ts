import type { ESTree } from 'meriyah';

/** Receives every node of a {@link walkTree} walk, before its children. */
export type TreeVisitor = (node: ESTree.Node, ancestors: readonly ESTree.Node[], binding: boolean) => void;

type Maybe = ESTree.Node | null | undefined;

/** One walk: the visitor and the ancestor stack, which ends with the node being visited. */
class TreeWalk {
  readonly ancestors: ESTree.Node[] = [];

  constructor(private readonly visitor: TreeVisitor) {}

  visit(node: Maybe, binding: boolean): void {
    if (node === null || node === undefined) return;
    const asBinding = binding && node.type !== 'MemberExpression';
    this.ancestors.push(node);
    this.visitor(node, this.ancestors, asBinding);
    const children = CHILDREN[node.type];
    // The table holds the walker for this very type; TypeScript cannot correlate the lookup with the node.
    if (children !== undefined) children(node as never, this, asBinding);
    this.ancestors.pop();
  }

  each(nodes: readonly Maybe[], binding: boolean): void {
    for (let i = 0; i < nodes.length; i++) this.visit(nodes[i], binding);
  }
}

type NodeOf<T extends ESTree.Node['type']> = Extract<ESTree.Node, { type: T }>;
type ChildWalker<T extends ESTree.Node['type']> = (node: NodeOf<T>, walk: TreeWalk, binding: boolean) => void;

const body = (node: { body: readonly Maybe[] }, walk: TreeWalk): void => walk.each(node.body, false);
const expression = (node: { expression: Maybe }, walk: TreeWalk): void => walk.visit(node.expression, false);
const argument = (node: { argument?: Maybe }, walk: TreeWalk): void => walk.visit(node.argument, false);
const label = (node: { label: Maybe }, walk: TreeWalk): void => walk.visit(node.label, true);
const testAndBranches = (node: { test: Maybe; consequent: Maybe; alternate: Maybe }, walk: TreeWalk): void => {
  walk.visit(node.test, false);
  walk.visit(node.consequent, false);
  walk.visit(node.alternate, false);
};
const whileLoop = (node: { test: Maybe; body: Maybe }, walk: TreeWalk): void => {
  walk.visit(node.test, false);
  walk.visit(node.body, false);
};
const forInOf = (node: NodeOf<'ForInStatement' | 'ForOfStatement'>, walk: TreeWalk): void => {
  walk.visit(node.left, node.left.type !== 'VariableDeclaration');
  walk.visit(node.right, false);
  walk.visit(node.body, false);
};
const functionLike = (node: NodeOf<'FunctionDeclaration' | 'FunctionExpression'>, walk: TreeWalk): void => {
  walk.visit(node.id, true);
  walk.each(node.params, true);
  walk.visit(node.body, false);
};
const classLike = (node: NodeOf<'ClassDeclaration' | 'ClassExpression'>, walk: TreeWalk): void => {
  walk.visit(node.id, true);
  walk.visit(node.superClass, false);
  walk.visit(node.body, false);
};
type Keyed = NodeOf<'MethodDefinition' | 'PropertyDefinition' | 'Property'>;
const keyed = (node: Keyed, walk: TreeWalk, binding: boolean): void => {
  walk.visit(node.key, !node.computed);
  walk.visit(node.value, binding);
};
const elements = (node: { elements: readonly Maybe[] }, walk: TreeWalk, binding: boolean): void =>
  walk.each(node.elements, binding);
const properties = (node: { properties: readonly Maybe[] }, walk: TreeWalk, binding: boolean): void =>
  walk.each(node.properties, binding);
const leftRight = (node: { left: Maybe; right: Maybe }, walk: TreeWalk): void => {
  walk.visit(node.left, false);
  walk.visit(node.right, false);
};
const assignment = (node: { left: Maybe; right?: Maybe }, walk: TreeWalk): void => {
  walk.visit(node.left, true);
  walk.visit(node.right, false);
};
const call = (node: NodeOf<'CallExpression' | 'NewExpression'>, walk: TreeWalk): void => {
  walk.visit(node.callee, false);
  walk.each(node.arguments, false);
};
const expressions = (node: { expressions: readonly Maybe[] }, walk: TreeWalk): void =>
  walk.each(node.expressions, false);
const local = (node: { local: Maybe }, walk: TreeWalk): void => walk.visit(node.local, true);

/**
 * The children of each node type that has any, in source order, with whether each is a binding. Types not
 * listed (identifiers, literals, `this`, template elements, meta properties…) have no children to walk.
 */
const CHILDREN: { readonly [T in ESTree.Node['type']]?: ChildWalker<T> } = {
  Program: body,
  BlockStatement: body,
  StaticBlock: body,
  ClassBody: body,
  ExpressionStatement: expression,
  ChainExpression: expression,
  ParenthesizedExpression: expression,
  WithStatement: (node, walk) => {
    walk.visit(node.object, false);
    walk.visit(node.body, false);
  },
  ReturnStatement: argument,
  ThrowStatement: argument,
  SpreadElement: argument,
  UnaryExpression: argument,
  UpdateExpression: argument,
  AwaitExpression: argument,
  YieldExpression: argument,
  RestElement: (node, walk) => walk.visit(node.argument, true),
  LabeledStatement: (node, walk) => {
    walk.visit(node.label, true);
    walk.visit(node.body, false);
  },
  BreakStatement: label,
  ContinueStatement: label,
  IfStatement: testAndBranches,
  ConditionalExpression: testAndBranches,
  SwitchStatement: (node, walk) => {
    walk.visit(node.discriminant, false);
    walk.each(node.cases, false);
  },
  SwitchCase: (node, walk) => {
    walk.visit(node.test, false);
    walk.each(node.consequent, false);
  },
  TryStatement: (node, walk) => {
    walk.visit(node.block, false);
    walk.visit(node.handler, false);
    walk.visit(node.finalizer, false);
  },
  CatchClause: (node, walk) => {
    walk.visit(node.param, true);
    walk.visit(node.body, false);
  },
  WhileStatement: whileLoop,
  DoWhileStatement: (node, walk) => {
    walk.visit(node.body, false);
    walk.visit(node.test, false);
  },
  ForStatement: (node, walk) => {
    walk.visit(node.init, false);
    walk.visit(node.test, false);
    walk.visit(node.update, false);
    walk.visit(node.body, false);
  },
  ForInStatement: forInOf,
  ForOfStatement: forInOf,
  FunctionDeclaration: functionLike,
  FunctionExpression: functionLike,
  ArrowFunctionExpression: (node, walk) => {
    walk.each(node.params, true);
    walk.visit(node.body, false);
  },
  VariableDeclaration: (node, walk) => walk.each(node.declarations, false),
  VariableDeclarator: (node, walk) => {
    walk.visit(node.id, true);
    walk.visit(node.init, false);
  },
  ClassDeclaration: classLike,
  ClassExpression: classLike,
  MethodDefinition: keyed,
  PropertyDefinition: keyed,
  Property: keyed,
  ArrayExpression: elements,
  ArrayPattern: elements,
  ObjectExpression: properties,
  ObjectPattern: properties,
  BinaryExpression: leftRight,
  LogicalExpression: leftRight,
  AssignmentExpression: assignment,
  AssignmentPattern: assignment,
  CallExpression: call,
  NewExpression: call,
  MemberExpression: (node, walk) => {
    walk.visit(node.object, false);
    walk.visit(node.property, !node.computed);
  },
  SequenceExpression: expressions,
  TemplateLiteral: expressions,
  TaggedTemplateExpression: (node, walk) => {
    walk.visit(node.tag, false);
    walk.visit(node.quasi, false);
  },
  ImportExpression: (node, walk) => {
    walk.visit(node.source, false);
    walk.visit(node.options, false);
  },
  ImportDeclaration: (node, walk) => walk.each(node.specifiers, true),
  // `export { name }` reads a local binding (it may be an alias of a sensitive root); `export { name } from 'x'` does not.
  ExportNamedDeclaration: (node, walk) => {
    walk.visit(node.declaration, false);
    walk.each(node.specifiers, node.source !== null && node.source !== undefined);
  },
  ImportSpecifier: (node, walk) => {
    walk.visit(node.imported, true);
    walk.visit(node.local, true);
  },
  ExportSpecifier: (node, walk, binding) => {
    walk.visit(node.local, binding);
    walk.visit(node.exported, true);
  },
  ImportDefaultSpecifier: local,
  ImportNamespaceSpecifier: local,
  ExportDefaultDeclaration: (node, walk) => walk.visit(node.declaration, false),
  ExportAllDeclaration: (node, walk) => walk.visit(node.exported, true),
};

/**
 * Walks an ESTree in source order with one recursive descent and an explicit ancestor stack (ending with the
 * node itself), dispatching on a table of child walkers by node type. `binding` is true for names that are
 * declared, labelled or keyed rather than read: binding patterns, non-computed property keys and member names,
 * labels, import and export specifiers. A member expression in a pattern (`a.b = 1`) reads `a`, so it is walked
 * as an expression. Input nested beyond the stack throws RangeError, which the caller reports.
 */
export function walkTree(root: ESTree.Node, visitor: TreeVisitor): void {
  new TreeWalk(visitor).visit(root, false);
}
