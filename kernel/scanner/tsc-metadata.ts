import type { ESTree } from 'meriyah';

// The `__metadata` helper tsc emits for `emitDecoratorMetadata`, whitespace removed.
const HELPER =
  'function(k,v){if(typeofReflect==="object"&&typeofReflect.metadata==="function")returnReflect.metadata(k,v);}';

/** True when any node assigns `__metadata`; an explicit stack, so no depth of nesting overflows it. */
function assignsHelper(program: ESTree.Program): boolean {
  const pending: unknown[] = [program];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next !== 'object' || next === null) continue;
    const n = next as { type?: string; left?: { type?: string; name?: string } };
    if (n.type === 'AssignmentExpression' && n.left?.type === 'Identifier' && n.left.name === '__metadata') return true;
    for (const child of Array.isArray(next) ? next : Object.values(next)) {
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return false;
}

/**
 * True when an ES module declares tsc's own `__metadata` helper, unchanged and never reassigned. Its
 * `design:*` calls then only pass types (`Function`, `Object`, classes) to `Reflect.metadata`, so
 * those references are not escapes. In an ES module `this` is undefined, so the helper cannot be
 * swapped through `this.__metadata` as it could in CommonJS.
 */
export function declaresTscMetadataHelper(program: ESTree.Program, code: string): boolean {
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
