import type { ESTree } from 'meriyah';

const MAX_DEPTH = 32;
const MAX_LENGTH = 512;

type AnyNode = ESTree.Node & Record<string, unknown>;

function memberName(node: AnyNode): string | undefined {
  const property = node.property as AnyNode;
  if (!node.computed && property.type === 'Identifier') return property.name as string;
  return undefined;
}

function foldArray(node: AnyNode, depth: number): string[] | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (node.type === 'ArrayExpression') {
    const out: string[] = [];
    for (const element of node.elements as (AnyNode | null)[]) {
      const value = element === null ? '' : foldString(element, depth + 1);
      if (value === undefined) return undefined;
      out.push(value);
    }
    return out;
  }
  if (node.type !== 'CallExpression' || (node.callee as AnyNode).type !== 'MemberExpression') return undefined;
  const callee = node.callee as AnyNode;
  const method = memberName(callee);
  const args = node.arguments as AnyNode[];
  if (method === 'reverse' && args.length === 0) return foldArray(callee.object as AnyNode, depth + 1)?.reverse();
  if (method === 'split' && args.length === 1) {
    const text = foldString(callee.object as AnyNode, depth + 1);
    const separator = foldString(args[0] as AnyNode, depth + 1);
    return text === undefined || separator === undefined ? undefined : text.split(separator);
  }
  return undefined;
}

function foldCall(node: AnyNode, depth: number): string | undefined {
  const callee = node.callee as AnyNode;
  if (callee.type !== 'MemberExpression') return undefined;
  const method = memberName(callee);
  const args = node.arguments as AnyNode[];
  const object = callee.object as AnyNode;
  if (method === 'fromCharCode' && object.type === 'Identifier' && object.name === 'String') {
    const codes = args.map((a) => (a.type === 'Literal' && typeof a.value === 'number' ? a.value : Number.NaN));
    return codes.some(Number.isNaN) ? undefined : String.fromCharCode(...codes);
  }
  if (method === 'join' && args.length <= 1) {
    const parts = foldArray(object, depth + 1);
    const separator = args.length === 0 ? ',' : foldString(args[0] as AnyNode, depth + 1);
    return parts === undefined || separator === undefined ? undefined : parts.join(separator);
  }
  if (method === 'concat') {
    const parts = [object, ...args].map((a) => foldString(a, depth + 1));
    return parts.some((p) => p === undefined) ? undefined : parts.join('');
  }
  if (method === 'toLowerCase' || method === 'toUpperCase' || method === 'trim') {
    const text = foldString(object, depth + 1);
    return text === undefined ? undefined : text[method]();
  }
  return undefined;
}

/**
 * The string an expression always evaluates to, when it is built only from literals: `'chi' + 'ld_process'`,
 * template literals, `String.fromCharCode(…)`, `[…].join('')`, `.concat`, `.split('').reverse().join('')`.
 * Undefined for anything else, or when folding would go deeper or longer than a small bound.
 */
export function foldString(node: ESTree.Node, depth = 0): string | undefined {
  const n = node as AnyNode;
  if (depth > MAX_DEPTH) return undefined;
  let result: string | undefined;
  switch (n.type) {
    case 'Literal':
      result = typeof n.value === 'string' || typeof n.value === 'number' ? String(n.value) : undefined;
      break;
    case 'TemplateLiteral': {
      const quasis = n.quasis as { value: { cooked: string | null } }[];
      const expressions = n.expressions as AnyNode[];
      let text = quasis[0]?.value.cooked ?? '';
      for (let i = 0; i < expressions.length; i++) {
        const part = foldString(expressions[i] as AnyNode, depth + 1);
        if (part === undefined) return undefined;
        text += part + (quasis[i + 1]?.value.cooked ?? '');
      }
      result = text;
      break;
    }
    case 'BinaryExpression': {
      if (n.operator !== '+') return undefined;
      const left = foldString(n.left as AnyNode, depth + 1);
      const right = left === undefined ? undefined : foldString(n.right as AnyNode, depth + 1);
      result = left === undefined || right === undefined ? undefined : left + right;
      break;
    }
    case 'CallExpression':
      result = foldCall(n, depth);
      break;
    default:
      return undefined;
  }
  return result !== undefined && result.length <= MAX_LENGTH ? result : undefined;
}
