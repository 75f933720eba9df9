import type { AnyNode, Program } from 'acorn';

// The `__metadata` helper tsc emits for `emitDecoratorMetadata`, whitespace removed.
const HELPER =
  'function(k,v){if(typeofReflect==="object"&&typeofReflect.metadata==="function")returnReflect.metadata(k,v);}';

function assignsHelper(node: unknown): boolean {
  if (typeof node !== 'object' || node === null) return false;
  const n = node as { type?: string; left?: { type?: string; name?: string } };
  if (n.type === 'AssignmentExpression' && n.left?.type === 'Identifier' && n.left.name === '__metadata') return true;
  return Object.values(node).some((child) =>
    Array.isArray(child) ? child.some(assignsHelper) : typeof child === 'object' && assignsHelper(child),
  );
}

/**
 * True when an ES module declares tsc's own `__metadata` helper, unchanged and never reassigned. Its
 * `design:*` calls then only pass types (`Function`, `Object`, classes) to `Reflect.metadata`, so
 * those references are not escapes. In an ES module `this` is undefined, so the helper cannot be
 * swapped through `this.__metadata` as it could in CommonJS.
 */
export function declaresTscMetadataHelper(program: Program, code: string): boolean {
  const declared = program.body.some(
    (statement) =>
      statement.type === 'VariableDeclaration' &&
      statement.declarations.some((d) => {
        if (d.id.type !== 'Identifier' || d.id.name !== '__metadata' || d.init?.type !== 'LogicalExpression')
          return false;
        return code.slice(d.init.right.start, d.init.right.end).replace(/\s+/g, '') === HELPER;
      }),
  );
  return declared && !assignsHelper(program);
}

/** True for a value passed as the type in `__metadata("design:…", value)`, directly or in its array. */
export function isDesignMetadataArgument(node: AnyNode, ancestors: readonly AnyNode[], index: number): boolean {
  let parent = ancestors[index - 1];
  let argument: AnyNode = node;
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
