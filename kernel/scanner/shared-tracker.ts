import type { ESTree } from 'meriyah';
import { builtinName } from '../capabilities/capability-catalogue.js';
import { patternNames } from './computed-keys.js';
import { HOST_GLOBALS, INHERITED_METHODS, READ_ONLY_ARGUMENTS, SHARED_GLOBALS } from './intrinsic-names.js';
import { type AliasKind, type Shared, SharedValues } from './intrinsic-values.js';
import { mayBeGlobalThis, staticName } from './reference-context.js';
import type { ScanRule } from './scan-rules.js';
import { sharedUse } from './shared-context.js';

/** Receives a finding at a node's start. */
export type AddFinding = (rule: ScanRule, node: { readonly start?: number }, message: string) => void;

/** Readers and what was taken out of shared internals may be used on the spot only, never stored or handed on. */
function handsReader(value: Shared): boolean {
  return value === 'reader' || value === 'opaque';
}

/** The names a top-level statement declares (`function Request`, `const { URL } = …`, `export class Event`). */
function topLevelNames(statement: ESTree.Node, into: Set<string>): void {
  const declaration =
    statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
      ? statement.declaration
      : statement;
  if (declaration === null || declaration === undefined) return;
  if (declaration.type === 'VariableDeclaration') {
    for (const d of declaration.declarations) for (const name of patternNames(d.id)) into.add(name);
  } else if (
    (declaration.type === 'FunctionDeclaration' || declaration.type === 'ClassDeclaration') &&
    declaration.id
  ) {
    into.add(declaration.id.name);
  } else if (declaration.type === 'ImportDeclaration') {
    for (const spec of declaration.specifiers) into.add(spec.local.name);
  }
}

function isGlobalName(name: string): boolean {
  return SHARED_GLOBALS.has(name) || HOST_GLOBALS.has(name);
}

/** Expressions that may evaluate to a shared object; every other node type cannot. */
const VALUE_TYPES = new Set([
  'Identifier',
  'ThisExpression',
  'MemberExpression',
  'CallExpression',
  'LogicalExpression',
  'ConditionalExpression',
  'SequenceExpression',
  'AssignmentExpression',
  'ParenthesizedExpression',
  'AwaitExpression',
  'ChainExpression',
]);

/** Owners of the functions that only read an argument: rebinding one of these names voids those verdicts. */
const READ_ONLY_OWNERS = new Set(Object.keys(READ_ONLY_ARGUMENTS).map((path) => path.split('.')[0] as string));

const MUTATION =
  'changes a built-in object (a prototype, constructor, namespace, built-in module or the global object) that the host shares';
const ESCAPE =
  'hands a built-in object that the host shares (a prototype, constructor, namespace, built-in module) where the scanner cannot follow what is done with it';
const READER =
  'hands on a function that returns prototypes (Object.getPrototypeOf), or what was taken out of a shared object (its descriptors, accessors, values): it may only be used on the spot';

/**
 * A finding that holds once the variable it is filed under turns out to hold a shared object, or (filed under
 * `bound:<name>`) once that name turns out to be rebound in the file and, when `needs` is given, one of those
 * variables holds a shared object.
 */
interface Pending {
  readonly start: number;
  readonly rule: ScanRule;
  readonly message: string;
  readonly needs?: readonly string[] | undefined;
}

/**
 * The shared-intrinsic rule of one file. An expression that may hold a shared built-in (see {@link SharedValues}) may
 * be read, called, compared or stored in a variable, whose uses are then held to the same rule; a write through it is
 * `intrinsic-mutation`, and letting it go anywhere else (an argument of a function not known to only read it, a
 * return, an element, a property, an export) is `intrinsic-escape`. What a built-in module exports (`node:events`,
 * `node:path`) is shared as well and followed the same way, but only writes through it count: handing on a built-in
 * module's function is how plugins use them (`export default { pipeline }`), so its escapes are not findings. Variables are followed by name across the file,
 * scope ignored (which can only over-report), and judged once the whole file is read: a use may come before the
 * declaration.
 */
export class SharedTracker {
  private readonly aliases = new Map<string, AliasKind>();
  /** Variables that hold a shared object if the variable named by the key does. */
  private readonly dependents = new Map<string, string[]>();
  private readonly pending = new Map<string, Pending[]>();
  private readonly bound = new Set<string>();
  private readonly own = new Set<string>();
  private ancestors: readonly ESTree.Node[] = [];
  private readonly values: SharedValues;

  constructor(
    private readonly add: AddFinding,
    script: boolean,
    /** True for a value tsc's unchanged `__metadata` helper stores as a design type (see {@link FileWalk}). */
    private readonly designType: (ancestors: readonly ESTree.Node[]) => boolean,
  ) {
    this.values = new SharedValues(this.aliases, this.own, () => script && mayBeGlobalThis(this.ancestors));
  }

  /** Visits one node of the walk (`ancestors` ends with it). */
  enter(node: ESTree.Node, ancestors: readonly ESTree.Node[], binding: boolean): void {
    if (node.type === 'Program') {
      for (const statement of node.body) topLevelNames(statement, this.own);
      return;
    }
    if (node.type === 'Identifier' && binding) {
      if (READ_ONLY_OWNERS.has(node.name)) this.bound.add(node.name);
      return;
    }
    if (
      node.type === 'ImportDeclaration' ||
      node.type === 'ExportAllDeclaration' ||
      node.type === 'ExportNamedDeclaration'
    ) {
      this.builtinModule(node);
      return;
    }
    if (!VALUE_TYPES.has(node.type)) return;
    this.ancestors = ancestors;
    const use = sharedUse(ancestors, this.values);
    if (use.kind === 'continue' || use.kind === 'safe' || use.kind === 'write') return;
    const value = this.values.of(node);
    if (value === undefined) return;
    if (use.kind === 'alias') {
      // Destructuring the global object binds its members: a built-in's name is shared, any other the plugin's own.
      const names = value === 'global' && use.pattern ? use.names.filter(isGlobalName) : use.names;
      this.alias(node, value === 'global' && use.pattern ? 'intrinsic' : value, names, use.exported);
    } else if (use.kind === 'read-only') {
      if (value === 'reader' || value === 'opaque') this.report(value, node, 'intrinsic-escape', READER);
      else if (value !== 'global' && value !== 'module' && READ_ONLY_OWNERS.has(use.owner)) {
        const needs = typeof value === 'string' ? undefined : value.pending;
        this.later(`bound:${use.owner}`, { start: node.start ?? 0, rule: 'intrinsic-escape', message: ESCAPE, needs });
      }
    } else if (value === 'intrinsic' && this.designType(ancestors)) {
      // Stored where Reflect.getMetadata reads it back: the plugin scan rejects such a read in any of its files.
      this.add(
        'design-metadata',
        node,
        "a built-in passed to tsc's __metadata helper: no file may read decorator metadata back",
      );
    } else if (value !== 'global' && value !== 'module') {
      this.report(value, node, 'intrinsic-escape', handsReader(value) ? READER : ESCAPE);
    }
  }

  /**
   * A write into `target`: a member (assignment, update, delete, destructuring) or a bare name, which for a global's
   * name is the global object's property (`Promise = …` replaces the host's Promise).
   */
  written(target: ESTree.Node, at: ESTree.Node, ancestors: readonly ESTree.Node[]): void {
    if (target.type === 'Identifier') {
      this.namedWrite(target.name, at);
      return;
    }
    if (target.type !== 'MemberExpression') return;
    this.ancestors = ancestors;
    if (this.values.of(target.object) === 'global') {
      const name = staticName(target);
      if (name !== undefined && isGlobalName(name)) this.add('intrinsic-mutation', at, MUTATION);
      return;
    }
    this.changed(target.object, at, ancestors);
  }

  /** A write into the variable `name`: for a global's name, the global object's property. */
  namedWrite(name: string, at: ESTree.Node): void {
    if (isGlobalName(name) && !this.own.has(name)) this.add('intrinsic-mutation', at, MUTATION);
  }

  /** A change to the object `object` itself: its members written, its prototype set, frozen. */
  changed(object: ESTree.Node, at: ESTree.Node, ancestors: readonly ESTree.Node[]): void {
    this.ancestors = ancestors;
    // `x.hasOwnProperty` or `x.call` is the shared method whatever x is, unless x defines its own.
    if (object.type === 'MemberExpression' && INHERITED_METHODS.has(staticName(object) ?? '')) {
      this.add('intrinsic-mutation', at, MUTATION);
      return;
    }
    this.report(this.values.of(object), at, 'intrinsic-mutation', MUTATION, true);
  }

  /** A built-in module is one object for the whole process: what a plugin imports from one is shared. */
  private builtinModule(
    node: ESTree.ImportDeclaration | ESTree.ExportAllDeclaration | ESTree.ExportNamedDeclaration,
  ): void {
    const source = node.source;
    if (source === null || source === undefined || builtinName(String(source.value)) === undefined) return;
    if (node.type === 'ImportDeclaration')
      for (const spec of node.specifiers) this.aliases.set(spec.local.name, 'module');
  }

  /** The findings that hold now that the whole file is read. */
  finish(): void {
    const others = this.holding((kind) => kind !== 'intrinsic');
    const holding = this.holding((kind) => kind === 'intrinsic');
    for (const [key, list] of this.pending) {
      const bound = key.startsWith('bound:');
      for (const finding of list) {
        // A built-in module's exports count for writes only (see the class comment), the global object's escapes are
        // the root tracker's.
        const holds = (name: string) =>
          holding.has(name) || (finding.rule === 'intrinsic-mutation' && others.has(name));
        if (!(bound ? this.bound.has(key.slice(6)) : holds(key))) continue;
        if (finding.needs === undefined || finding.needs.some(holds)) this.add(finding.rule, finding, finding.message);
      }
    }
  }

  /** The variables that hold an alias of the kinds chosen, directly or through other variables. */
  private holding(kinds: (kind: AliasKind) => boolean): Set<string> {
    const holding = new Set<string>();
    for (const [name, kind] of this.aliases) if (kinds(kind)) holding.add(name);
    const queue = [...holding];
    for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
      for (const dependent of this.dependents.get(name) ?? []) {
        if (holding.has(dependent)) continue;
        holding.add(dependent);
        queue.push(dependent);
      }
    }
    return holding;
  }

  private alias(node: ESTree.Node, value: Shared, names: readonly string[], exported: boolean): void {
    if (value === 'reader' || value === 'opaque') {
      this.report(value, node, 'intrinsic-escape', READER);
      return;
    }
    if (exported && value !== 'module') this.report(value, node, 'intrinsic-escape', ESCAPE);
    for (const name of names) {
      if (typeof value === 'string') {
        this.aliases.set(name, this.aliases.get(name) === 'intrinsic' ? 'intrinsic' : value);
        continue;
      }
      for (const on of value?.pending ?? []) {
        const list = this.dependents.get(on);
        if (list === undefined) this.dependents.set(on, [name]);
        else list.push(name);
      }
    }
  }

  private report(value: Shared, node: ESTree.Node, rule: ScanRule, message: string, globalCounts = false): void {
    if (value === undefined || (value === 'global' && !globalCounts)) return;
    if (typeof value === 'string') {
      this.add(rule, node, message);
      return;
    }
    for (const name of value.pending) this.later(name, { start: node.start ?? 0, rule, message });
  }

  private later(key: string, finding: Pending): void {
    const list = this.pending.get(key);
    if (list === undefined) this.pending.set(key, [finding]);
    else list.push(finding);
  }
}
