import type { ESTree } from 'meriyah';
import { foldString } from './fold-string.js';
import { staticName } from './reference-context.js';

/** Parents in which a method read off an object is only called on it, inspected or written: not handed on. */
const NOT_HANDED_ON = new Set(['ExpressionStatement', 'BinaryExpression', 'UnaryExpression', 'UpdateExpression']);
const REBINDERS = new Set(['call', 'apply', 'bind']);
const DESCRIPTOR_READS = new Set([
  'Object.getOwnPropertyDescriptor',
  'Reflect.getOwnPropertyDescriptor',
  'Reflect.get',
]);

/** A use of `this.constructor` in an instance method, a finding only where that method may get another receiver. */
export interface ThisConstructor {
  readonly method: string;
  readonly start: number;
  readonly message: string;
}

function keyName(node: ESTree.MemberExpression): string | undefined {
  const name = staticName(node);
  if (name !== undefined) return name;
  // `list[0]`, `list[i + 1]` with a number: an element, never a method read by name.
  return node.property.type === 'Literal' && typeof node.property.value === 'number' ? undefined : '*';
}

/**
 * Where one file may call a method with a receiver of its choosing, by the method's name (`*`: any name): the method
 * read as a value (`const m = obj.plus`, `{ plus } = proto`, `fn.plus = C.prototype.plus`, passed or returned),
 * rebound (`obj.plus.call(fn)`, `.apply`, `.bind`), or taken out of a descriptor (`getOwnPropertyDescriptor(p, 'plus')`,
 * `getOwnPropertyDescriptors`, `Reflect.get`). A method called on its object (`obj.plus(x)`) is none of these. With
 * the instance methods that use `this.constructor` ({@link ThisConstructor}), in this file or another of the plugin,
 * a matching name is a finding: called on a function, such a method's `this.constructor` is the Function constructor.
 */
export class MethodRetargets {
  /** The first site of each name, by start offset. */
  readonly sites = new Map<string, number>();
  readonly uses: ThisConstructor[] = [];

  member(node: ESTree.MemberExpression, ancestors: readonly ESTree.Node[]): void {
    const parent = ancestors[ancestors.length - 2];
    if (parent === undefined || NOT_HANDED_ON.has(parent.type)) return;
    if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node) return;
    if (parent.type === 'AssignmentExpression' && parent.left === node) return;
    if (parent.type === 'MemberExpression' && parent.object === node && !REBINDERS.has(staticName(parent) ?? ''))
      return;
    const name = keyName(node);
    if (name !== undefined) this.site(name, node);
  }

  pattern(node: ESTree.ObjectPattern): void {
    for (const property of node.properties) {
      if (property.type !== 'Property') continue;
      const key = property.key;
      const name = !property.computed && key.type === 'Identifier' ? key.name : (foldString(key) ?? '*');
      this.site(name, property);
    }
  }

  call(node: ESTree.CallExpression): void {
    const callee = node.callee;
    if (callee.type !== 'MemberExpression' || callee.object.type !== 'Identifier') return;
    const path = `${callee.object.name}.${staticName(callee)}`;
    if (path === 'Object.getOwnPropertyDescriptors') this.site('*', node);
    if (!DESCRIPTOR_READS.has(path)) return;
    const key = node.arguments[1];
    const name = key === undefined || key.type === 'SpreadElement' ? undefined : foldString(key);
    this.site(name ?? '*', node);
  }

  /** The first site where a method named `method` may get another receiver, if any. */
  siteOf(method: string): number | undefined {
    if (method === '*') return this.sites.values().next().value;
    return this.sites.get(method) ?? this.sites.get('*');
  }

  private site(name: string, node: { readonly start?: number }): void {
    if (!this.sites.has(name)) this.sites.set(name, node.start ?? 0);
  }
}

/** The message of a finding at a site that may call a method using `this.constructor` with another receiver. */
export function retargetMessage(method: string, where: string): string {
  return `may call method '${method}' (${where}) on a function: its this.constructor is then the Function constructor`;
}
