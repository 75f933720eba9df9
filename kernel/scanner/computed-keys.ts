import type { ESTree } from 'meriyah';
import { foldString } from './fold-string.js';

/**
 * Member names that lead from an ordinary value to the Function constructor, a prototype or a caller: a computed
 * key the scanner cannot prove to be none of these may be any of them.
 */
export const DANGEROUS_KEYS: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  'caller',
  'callee',
  'arguments',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** A value written to a name: an expression, or a value known only as harmless or unknown. */
type Write = ESTree.Node | 'harmless' | 'unknown';

const ARITHMETIC = new Set(['-', '*', '/', '%', '**', '|', '&', '^', '<<', '>>', '>>>']);
const BOOLEAN = new Set(['==', '!=', '===', '!==', '<', '<=', '>', '>=', 'in', 'instanceof']);
const HARMLESS_UNARY = new Set(['-', '+', '~', '!', 'typeof', 'void']);
const HARMLESS_GLOBALS = new Set(['undefined', 'NaN', 'Infinity']);
const MAX_DEPTH = 32;

/** The names bound by a pattern (`{ a, b: [c] }`, `...rest`, `x = 1`). */
export function patternNames(pattern: ESTree.Node | null | undefined, into: string[] = []): string[] {
  if (pattern === null || pattern === undefined) return into;
  if (pattern.type === 'Identifier') into.push(pattern.name);
  else if (pattern.type === 'ObjectPattern') {
    for (const p of pattern.properties) patternNames(p.type === 'RestElement' ? p.argument : p.value, into);
  } else if (pattern.type === 'ArrayPattern') for (const e of pattern.elements) patternNames(e, into);
  else if (pattern.type === 'RestElement') patternNames(pattern.argument, into);
  else if (pattern.type === 'AssignmentPattern') patternNames(pattern.left, into);
  return into;
}

/**
 * Every value written to each name in one file, scope ignored: a name is harmless as a key only when every value
 * written to it anywhere in the file is, which can only over-report. A name never written in the file (a global, a
 * name of another file) is unknown.
 */
export class KeyFacts {
  private readonly writes = new Map<string, Write[]>();

  write(name: string, value: Write): void {
    const list = this.writes.get(name);
    if (list === undefined) this.writes.set(name, [value]);
    else if (list.length < 64) list.push(value);
    else list[0] = 'unknown';
  }

  /** True when the expression can only evaluate to a number (so never to a dangerous member name). */
  numeric(node: ESTree.Node, depth = 0, seen = new Set<string>()): boolean {
    if (depth > MAX_DEPTH) return false;
    switch (node.type) {
      case 'Literal':
        return typeof node.value === 'number' || typeof node.value === 'bigint';
      case 'UpdateExpression':
        return true;
      case 'UnaryExpression':
        return node.operator === '-' || node.operator === '~' || node.operator === '+';
      case 'BinaryExpression':
        if (ARITHMETIC.has(node.operator)) return true;
        return (
          node.operator === '+' && this.numeric(node.left, depth + 1, seen) && this.numeric(node.right, depth + 1, seen)
        );
      case 'Identifier':
        return this.every(
          node.name,
          seen,
          (value) => value === 'harmless' || (value !== 'unknown' && this.numeric(value, depth + 1, seen)),
        );
      default:
        return false;
    }
  }

  /**
   * The one string an expression of literals, `+`, template literals and names always evaluates to, where each name
   * has exactly one value written to it in the file (`const prefix = 'item'`), or undefined.
   */
  fold(node: ESTree.Node, depth = 0): string | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const direct = foldString(node);
    if (direct !== undefined) return direct;
    if (node.type === 'Identifier') {
      const values = this.writes.get(node.name);
      const only = values?.length === 1 ? values[0] : undefined;
      return only === undefined || typeof only === 'string' ? undefined : this.fold(only, depth + 1);
    }
    if (node.type === 'BinaryExpression' && node.operator === '+') {
      const left = this.fold(node.left, depth + 1);
      const right = left === undefined ? undefined : this.fold(node.right, depth + 1);
      return right === undefined ? undefined : `${left}${right}`;
    }
    if (node.type !== 'TemplateLiteral') return undefined;
    let text = node.quasis[0]?.value.cooked ?? '';
    for (const [i, expression] of node.expressions.entries()) {
      const part = this.fold(expression, depth + 1);
      if (part === undefined) return undefined;
      text += part + (node.quasis[i + 1]?.value.cooked ?? '');
    }
    return text.length <= 512 ? text : undefined;
  }

  /** True when the expression, used as a member key, can never name a dangerous member. */
  harmless(node: ESTree.Node, depth = 0, seen = new Set<string>()): boolean {
    if (depth > MAX_DEPTH) return false;
    const folded = this.fold(node);
    if (folded !== undefined) return !DANGEROUS_KEYS.has(folded);
    if (this.numeric(node, depth, seen)) return true;
    switch (node.type) {
      case 'Literal':
        return typeof node.value !== 'string';
      case 'UnaryExpression':
        return HARMLESS_UNARY.has(node.operator);
      case 'BinaryExpression':
        return BOOLEAN.has(node.operator);
      case 'LogicalExpression':
        return this.harmless(node.left, depth + 1, seen) && this.harmless(node.right, depth + 1, seen);
      case 'ConditionalExpression':
        return this.harmless(node.consequent, depth + 1, seen) && this.harmless(node.alternate, depth + 1, seen);
      case 'Identifier':
        if (HARMLESS_GLOBALS.has(node.name)) return true;
        return this.every(
          node.name,
          seen,
          (value) => value === 'harmless' || (value !== 'unknown' && this.harmless(value, depth + 1, seen)),
        );
      default:
        return false;
    }
  }

  /** True when `name` is written at least once and every value written passes `test`; a cycle is not harmless. */
  private every(name: string, seen: Set<string>, test: (value: Write) => boolean): boolean {
    const values = this.writes.get(name);
    if (values === undefined || seen.has(name)) return false;
    seen.add(name);
    const all = values.every(test);
    seen.delete(name);
    return all;
  }
}
