import type { ESTree } from 'meriyah';

/** Receives every node of a {@link walkTree} walk, before its children. */
export type TreeVisitor = (node: ESTree.Node, ancestors: readonly ESTree.Node[], binding: boolean) => void;

type Maybe = ESTree.Node | null | undefined;

/**
 * Walks an ESTree in source order with one recursive descent and an explicit ancestor stack (ending with the
 * node itself). `binding` is true for names that are declared, labelled or keyed rather than read: binding
 * patterns, non-computed property keys and member names, labels, import and export specifiers. A member
 * expression in a pattern (`a.b = 1`) reads `a`, so it is walked as an expression. Input nested beyond the
 * stack throws RangeError, which the caller reports.
 */
export function walkTree(root: ESTree.Node, visitor: TreeVisitor): void {
  const ancestors: ESTree.Node[] = [];
  const each = (nodes: readonly Maybe[], binding = false): void => {
    for (const node of nodes) visit(node, binding);
  };
  const visit = (node: Maybe, binding = false): void => {
    if (node === null || node === undefined) return;
    const asBinding = binding && node.type !== 'MemberExpression';
    ancestors.push(node);
    visitor(node, ancestors, asBinding);
    children(node, asBinding);
    ancestors.pop();
  };

  function children(node: ESTree.Node, binding: boolean): void {
    switch (node.type) {
      // The most frequent nodes have no children: matched first, they skip the comparisons below.
      case 'Identifier':
      case 'Literal':
      case 'ThisExpression':
      case 'PrivateIdentifier':
        break;
      case 'Program':
      case 'BlockStatement':
      case 'StaticBlock':
      case 'ClassBody':
        each(node.body);
        break;
      case 'ExpressionStatement':
      case 'ChainExpression':
      case 'ParenthesizedExpression':
        visit(node.expression);
        break;
      case 'WithStatement':
        visit(node.object);
        visit(node.body);
        break;
      case 'ReturnStatement':
      case 'ThrowStatement':
      case 'SpreadElement':
      case 'UnaryExpression':
      case 'UpdateExpression':
      case 'AwaitExpression':
      case 'YieldExpression':
        visit(node.argument);
        break;
      case 'RestElement':
        visit(node.argument, true);
        break;
      case 'LabeledStatement':
        visit(node.label, true);
        visit(node.body);
        break;
      case 'BreakStatement':
      case 'ContinueStatement':
        visit(node.label, true);
        break;
      case 'IfStatement':
      case 'ConditionalExpression':
        visit(node.test);
        visit(node.consequent);
        visit(node.alternate);
        break;
      case 'SwitchStatement':
        visit(node.discriminant);
        each(node.cases);
        break;
      case 'SwitchCase':
        visit(node.test);
        each(node.consequent);
        break;
      case 'TryStatement':
        visit(node.block);
        visit(node.handler);
        visit(node.finalizer);
        break;
      case 'CatchClause':
        visit(node.param, true);
        visit(node.body);
        break;
      case 'WhileStatement':
        visit(node.test);
        visit(node.body);
        break;
      case 'DoWhileStatement':
        visit(node.body);
        visit(node.test);
        break;
      case 'ForStatement':
        visit(node.init);
        visit(node.test);
        visit(node.update);
        visit(node.body);
        break;
      case 'ForInStatement':
      case 'ForOfStatement':
        visit(node.left, node.left.type !== 'VariableDeclaration');
        visit(node.right);
        visit(node.body);
        break;
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        if (node.type !== 'ArrowFunctionExpression') visit(node.id, true);
        each(node.params, true);
        visit(node.body);
        break;
      case 'VariableDeclaration':
        each(node.declarations);
        break;
      case 'VariableDeclarator':
        visit(node.id, true);
        visit(node.init);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        visit(node.id, true);
        visit(node.superClass);
        visit(node.body);
        break;
      case 'MethodDefinition':
      case 'PropertyDefinition':
      case 'Property':
        visit(node.key, !node.computed);
        visit(node.value, binding);
        break;
      case 'ArrayExpression':
      case 'ArrayPattern':
        each(node.elements, binding);
        break;
      case 'ObjectExpression':
      case 'ObjectPattern':
        each(node.properties, binding);
        break;
      case 'BinaryExpression':
      case 'LogicalExpression':
        visit(node.left);
        visit(node.right);
        break;
      case 'AssignmentExpression':
      case 'AssignmentPattern':
        visit(node.left, true);
        visit(node.right);
        break;
      case 'CallExpression':
      case 'NewExpression':
        visit(node.callee);
        each(node.arguments);
        break;
      case 'MemberExpression':
        visit(node.object);
        visit(node.property, !node.computed);
        break;
      case 'SequenceExpression':
      case 'TemplateLiteral':
        each(node.expressions);
        break;
      case 'TaggedTemplateExpression':
        visit(node.tag);
        visit(node.quasi);
        break;
      case 'ImportExpression':
        visit(node.source);
        visit(node.options);
        break;
      case 'ImportDeclaration':
      case 'ExportNamedDeclaration':
        if (node.type === 'ExportNamedDeclaration') visit(node.declaration);
        each(node.specifiers, true);
        break;
      case 'ImportSpecifier':
      case 'ExportSpecifier':
        each(node.type === 'ImportSpecifier' ? [node.imported, node.local] : [node.local, node.exported], true);
        break;
      case 'ImportDefaultSpecifier':
      case 'ImportNamespaceSpecifier':
        visit(node.local, true);
        break;
      case 'ExportDefaultDeclaration':
        visit(node.declaration);
        break;
      case 'ExportAllDeclaration':
        visit(node.exported, true);
        break;
      default:
        break;
    }
  }

  visit(root);
}
