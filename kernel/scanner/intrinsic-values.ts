import type { ESTree } from 'meriyah';
import { builtinName } from '../capabilities/capability-catalogue.js';
import { foldString } from './fold-string.js';
import {
  DERIVED_READERS,
  GLOBAL_OBJECT_NAMES,
  HOST_GLOBALS,
  PRIMITIVE_MEMBERS,
  PROTOTYPE_READERS,
  RETURNS_TARGET,
  SHARED_GLOBALS,
} from './intrinsic-names.js';
import { staticName } from './reference-context.js';

/**
 * What an expression may evaluate to, as far as the host's shared objects go: `intrinsic` a shared built-in or
 * something reached from one (a constructor, prototype, namespace, built-in module, one of their methods), `global`
 * the global object, `reader` a function that returns prototypes (`Object.getPrototypeOf`), `opaque` something taken
 * out of a shared object's internals (its property descriptors, values, accessors: calling or reading it may give
 * anything shared, a reader included), `pending` whatever the named variables turn out to hold once the whole file
 * is read, `module` a built-in module's export (shared too, but see {@link SharedTracker} on its escapes), undefined
 * nothing shared.
 */
export type Shared =
  | 'intrinsic'
  | 'module'
  | 'global'
  | 'reader'
  | 'opaque'
  | { readonly pending: readonly string[] }
  | undefined;

/** What a variable that holds a shared object holds. */
export type AliasKind = 'intrinsic' | 'global' | 'module';

/** Literals: their members are inherited from a shared prototype unless the literal defines them. */
const LITERALS = new Set([
  'ArrayExpression',
  'ObjectExpression',
  'Literal',
  'TemplateLiteral',
  'FunctionExpression',
  'ArrowFunctionExpression',
  'ClassExpression',
]);

/** True when an evaluation is, or may turn out to be, something shared. */
export function maybeShared(value: Shared): boolean {
  return value !== undefined;
}

/** The first definite of two evaluations, else both pending lists together. */
function either(a: Shared, b: Shared): Shared {
  if (typeof a === 'string') return a;
  if (typeof b === 'string') return b;
  if (a === undefined) return b;
  if (b === undefined) return a;
  return { pending: [...a.pending, ...b.pending] };
}

function ownKey(object: ESTree.ObjectExpression, name: string): boolean {
  return object.properties.some((p) => {
    if (p.type !== 'Property') return false;
    const key = p.computed ? foldString(p.key) : p.key.type === 'Identifier' ? p.key.name : foldString(p.key);
    return key === name;
  });
}

function calleePath(callee: ESTree.Node): string | undefined {
  if (callee.type === 'Identifier') return callee.name;
  if (callee.type !== 'MemberExpression') return undefined;
  const name = staticName(callee);
  if (name === undefined) return undefined;
  return callee.object.type === 'Identifier' ? `${callee.object.name}.${name}` : `*.${name}`;
}

/**
 * Evaluates expressions of one file for what they may hold (see {@link Shared}), with the variables known so far to
 * hold shared objects (`aliases`). Each node is evaluated once; a member chain is evaluated down to its base.
 */
export class SharedValues {
  private readonly memo = new WeakMap<ESTree.Node, Shared>();

  constructor(
    private readonly aliases: ReadonlyMap<string, AliasKind>,
    /** Names the file declares at its top level: there they name the file's own binding, never the global. */
    private readonly own: ReadonlySet<string>,
    /** Whether `this` at the node being evaluated may be the global object (a sloppy-mode function's). */
    private readonly thisMayBeGlobal: () => boolean,
  ) {}

  of(node: ESTree.Node): Shared {
    if (this.memo.has(node)) return this.memo.get(node);
    const value = this.evaluate(node);
    this.memo.set(node, value);
    return value;
  }

  /** The `Owner.member` path of a callee whose owner is the named shared global, for the tables of known functions. */
  path(callee: ESTree.Node): string | undefined {
    const path = calleePath(callee);
    if (path === undefined || callee.type !== 'MemberExpression') return path;
    return callee.object.type !== 'Identifier' || this.of(callee.object) === 'intrinsic' ? path : undefined;
  }

  private evaluate(node: ESTree.Node): Shared {
    switch (node.type) {
      case 'Identifier':
        if (GLOBAL_OBJECT_NAMES.has(node.name)) return 'global';
        return (
          this.aliases.get(node.name) ??
          (SHARED_GLOBALS.has(node.name) && !this.own.has(node.name) ? 'intrinsic' : { pending: [node.name] })
        );
      case 'ThisExpression':
        return this.thisMayBeGlobal() ? 'global' : undefined;
      case 'ParenthesizedExpression':
      case 'ChainExpression':
        return this.of(node.expression);
      case 'AwaitExpression':
        return this.of(node.argument);
      case 'SequenceExpression': {
        const last = node.expressions[node.expressions.length - 1];
        return last === undefined ? undefined : this.of(last);
      }
      case 'AssignmentExpression':
        return node.operator === '=' || node.operator.length === 3 ? this.of(node.right) : undefined;
      case 'LogicalExpression':
        // A shared object is truthy: `shared && x` is x.
        return node.operator === '&&' ? this.of(node.right) : either(this.of(node.left), this.of(node.right));
      case 'ConditionalExpression':
        return either(this.of(node.consequent), this.of(node.alternate));
      case 'MemberExpression':
        return this.member(node);
      case 'CallExpression':
        return this.call(node);
      default:
        return undefined;
    }
  }

  private member(node: ESTree.MemberExpression): Shared {
    const name = staticName(node);
    // Any value's __proto__ and constructor: a prototype, a constructor.
    if (name === '__proto__' || name === 'constructor') return 'intrinsic';
    const object = node.object;
    const base = LITERALS.has(object.type) ? undefined : this.of(object);
    if (base === 'opaque') return name !== undefined && PRIMITIVE_MEMBERS['*']?.has(name) ? undefined : 'opaque';
    if (name === '__lookupGetter__' || name === '__lookupSetter__') return 'opaque';
    if (LITERALS.has(object.type)) {
      if (name === undefined || PRIMITIVE_MEMBERS['*']?.has(name)) return undefined;
      if (object.type === 'ObjectExpression' && ownKey(object, name)) return undefined;
      const ownPrototype = object.type === 'FunctionExpression' || object.type === 'ClassExpression';
      return ownPrototype && name === 'prototype' ? undefined : 'intrinsic';
    }
    if (base === undefined || name === undefined) {
      return base === 'intrinsic' || base === 'reader' || base === 'module' ? base : undefined;
    }
    if (base === 'global') {
      if (GLOBAL_OBJECT_NAMES.has(name)) return 'global';
      return SHARED_GLOBALS.has(name) || HOST_GLOBALS.has(name) ? 'intrinsic' : undefined;
    }
    const owner = object.type === 'Identifier' ? object.name : '*';
    if (PRIMITIVE_MEMBERS['*']?.has(name) || PRIMITIVE_MEMBERS[owner]?.has(name)) return undefined;
    if (base === 'reader') return name === 'call' || name === 'apply' || name === 'bind' ? 'reader' : 'intrinsic';
    if (base === 'intrinsic' && PROTOTYPE_READERS.has(`${owner}.${name}`)) return 'reader';
    return base;
  }

  private call(node: ESTree.CallExpression): Shared {
    const callee = node.callee;
    const fn = this.of(callee);
    if (fn === 'opaque') return 'opaque';
    if (fn === 'reader') {
      // `getPrototypeOf.bind(o)` stays a reader; any other call of one returns a prototype.
      return callee.type === 'MemberExpression' && staticName(callee) === 'bind' ? 'reader' : 'intrinsic';
    }
    const first = node.arguments[0];
    const arg = first === undefined || first.type === 'SpreadElement' ? undefined : this.of(first);
    if (callee.type === 'Identifier' && callee.name === 'require') {
      const name = first === undefined || first.type === 'SpreadElement' ? undefined : foldString(first);
      // A built-in module is one object for the whole process: `require('node:path').join = …` changes the host's.
      return name !== undefined && builtinName(name) !== undefined ? 'module' : undefined;
    }
    if (callee.type === 'MemberExpression' && staticName(callee) === 'getBuiltinModule') return 'module';
    if (fn !== 'intrinsic') return undefined;
    const path = this.path(callee);
    if (path === undefined) return undefined;
    if (DERIVED_READERS.has(path)) return typeof arg === 'string' ? 'opaque' : arg;
    return RETURNS_TARGET.has(path) ? arg : undefined;
  }
}
