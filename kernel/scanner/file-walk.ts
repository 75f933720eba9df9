import type { ESTree } from 'meriyah';
import { builtinName } from '../capabilities/capability-catalogue.js';
import { StringPrototypeStartsWith } from '../primordials.js';
import { classifySpecifier } from './classify-specifier.js';
import { patternNames } from './computed-keys.js';
import { ComputedReads } from './computed-reads.js';
import { isPatternTarget, writeTarget } from './intrinsic-mutation.js';
import { MethodRetargets, retargetMessage } from './method-retargets.js';
import {
  constructorKey,
  constructorUse,
  escapesSloppyThis,
  insideClass,
  isWrapperArguments,
  reflectiveKey,
  SENSITIVE_MEMBERS,
  staticName,
} from './reference-context.js';
import { RootTracker } from './root-tracker.js';
import { ROOT_BY_NAME } from './sensitive-roots.js';
import { SharedTracker } from './shared-tracker.js';
import { isDesignMetadataArgument } from './tsc-metadata.js';
import { walkTree } from './walk-tree.js';

/** Readers of decorator metadata (reflect-metadata's API). */
const METADATA_READS = new Set(['getMetadata', 'getOwnMetadata']);

/** Thrown when the walk of one file runs past its deadline. */
export class ScanDeadline extends Error {}

/**
 * One walk over one parsed file. It follows every use of the sensitive roots (`require`, `module`, `process`,
 * the global object, `Function`, `eval`, `WebAssembly`) by its syntactic context: a use the scanner can read
 * (`process.platform`, `require('./x.js')`) needs nothing or a named capability, and a use it cannot follow
 * (aliased, passed as an argument, computed) is itself a finding. Mentions in strings, comments and property
 * names are not uses. Scope is not tracked: a local variable named like a root is treated as the root, which
 * can only over-report.
 */
export class FileWalk extends RootTracker {
  private visits = 0;
  private readonly reads: ComputedReads;
  private readonly shared: SharedTracker;
  /** Where this file may call a method with another receiver, and its methods that use `this.constructor`. */
  readonly retargets = new MethodRetargets();

  constructor(
    file: string,
    private readonly code: string,
    private readonly script: boolean,
    private readonly deadline: number,
    designMetadata: boolean,
    decorateHelper?: ESTree.Node,
  ) {
    super(file);
    this.designMetadata = designMetadata;
    this.reads = new ComputedReads((ancestors) => decorateHelper !== undefined && ancestors.includes(decorateHelper));
    this.shared = new SharedTracker(
      (rule, node, message) => this.add(rule, node, message),
      script,
      (ancestors) =>
        designMetadata &&
        isDesignMetadataArgument(ancestors[ancestors.length - 1] as ESTree.Node, ancestors, ancestors.length - 1),
    );
  }

  run(ast: ESTree.Program): void {
    // Top-level imports and aliases are read first: a function above them may already use the names.
    for (const statement of ast.body) {
      if (statement.type === 'ImportDeclaration') this.trackImport(statement);
      if (statement.type === 'VariableDeclaration') for (const d of statement.declarations) this.trackAlias(d);
    }
    walkTree(ast, (node, ancestors, binding) => this.enter(node, ancestors as ESTree.Node[], binding));
    this.shared.finish();
    for (const use of this.retargets.uses) {
      const site = this.retargets.siteOf(use.method);
      if (site !== undefined)
        this.add('function-constructor', { start: site }, retargetMessage(use.method, 'in this file'));
    }
    for (const read of this.reads.unproven()) {
      this.add(
        'computed-member',
        read,
        "reads a member by a key the scanner cannot prove harmless: it may be 'constructor', the way to the Function constructor",
      );
    }
  }

  private enter(node: ESTree.Node, ancestors: ESTree.Node[], binding: boolean): void {
    if ((++this.visits & 1023) === 0 && performance.now() > this.deadline) throw new ScanDeadline();
    this.reads.record(node, ancestors);
    this.shared.enter(node, ancestors, binding);
    switch (node.type) {
      case 'Identifier':
      case 'PrivateIdentifier':
        this.identifier(node, ancestors, binding);
        return;
      case 'CallExpression': {
        this.retargets.call(node);
        const reflective = reflectiveKey(node);
        if (reflective) {
          this.add(
            'computed-global-access',
            node,
            `reads '${reflective.name}' reflectively, out of the scanner's sight`,
          );
        }
        const hidden = this.reads.call(node, ancestors);
        if (hidden)
          this.add(
            'computed-member',
            hidden,
            'reads members reflectively where they may reach the Function constructor',
          );
        this.intrinsicWrite(node, ancestors);
        return;
      }
      case 'AssignmentExpression':
      case 'UpdateExpression':
      case 'UnaryExpression':
        this.intrinsicWrite(node, ancestors);
        return;
      case 'ForInStatement':
      case 'ForOfStatement':
        for (const name of patternNames(node.left)) this.shared.namedWrite(name, node);
        return;
      case 'MemberExpression':
        if (isPatternTarget(node, ancestors[ancestors.length - 2], ancestors[ancestors.length - 3])) {
          this.shared.written(node, node, ancestors);
        }
        this.member(node, ancestors);
        return;
      case 'ImportDeclaration':
        this.specifier(node.source, 'imports');
        return;
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (node.source) {
          this.specifier(node.source, 're-exports');
          this.reexport(node);
        }
        return;
      case 'ImportExpression':
        this.load(node.source, node, ancestors, 'import()');
        return;
      case 'WithStatement':
        this.add('with-statement', node, 'a with statement hides which names it reads');
        return;
      case 'ObjectPattern': {
        this.retargets.pattern(node);
        this.reads.pattern(node);
        if (
          node.properties.some(
            (p) =>
              p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && METADATA_READS.has(p.key.name),
          )
        ) {
          this.add('metadata-read', node, 'destructures a reader of decorator metadata');
        }
        const key = constructorKey(node);
        if (key)
          this.add('function-constructor', key, 'destructures .constructor, which may be the Function constructor');
        return;
      }
      case 'ThisExpression':
        if (this.script && escapesSloppyThis(node, ancestors)) {
          this.add('sloppy-this', node, '`this` of a sloppy-mode function may be the global object and escapes here');
        }
        return;
      default:
        return;
    }
  }

  private intrinsicWrite(node: ESTree.Node, ancestors: readonly ESTree.Node[]): void {
    const target = writeTarget(node);
    if (target?.changed !== undefined) this.shared.changed(target.changed, node, ancestors);
    if (target?.member === undefined) return;
    const member = target.member;
    if (member.type === 'ObjectPattern' || member.type === 'ArrayPattern') {
      for (const name of patternNames(member)) this.shared.namedWrite(name, node);
    } else this.shared.written(member, node, ancestors);
  }

  private identifier(
    node: ESTree.Identifier | ESTree.PrivateIdentifier,
    ancestors: ESTree.Node[],
    binding: boolean,
  ): void {
    // The parser gives the decoded name: the source differs from it, at the first escape at the latest, exactly
    // when the name was written with \u escapes. A private name starts after its `#`.
    const at = (node.start ?? 0) + (node.type === 'PrivateIdentifier' ? 1 : 0);
    if (!StringPrototypeStartsWith(this.code, node.name, at)) {
      this.add('unicode-escape', node, `identifier '${node.name}' is written with Unicode escapes`);
    }
    if (binding || node.type !== 'Identifier') return;
    const alias = this.aliases.size > 0 ? this.aliases.get(node.name) : undefined;
    const root = alias ?? ROOT_BY_NAME[node.name];
    if (root !== undefined) this.reference(root, ancestors, ancestors.length - 1);
    else if (node.name === 'arguments' && this.script && isWrapperArguments(ancestors)) {
      this.add('require-alias', node, "the module wrapper's arguments hold require and module");
    }
  }

  /** Rules that hold on any object: `.constructor` reached as a value, `arguments.callee`, names built from pieces. */
  private member(node: ESTree.MemberExpression, ancestors: ESTree.Node[]): void {
    this.retargets.member(node, ancestors);
    const name = staticName(node);
    if (name === undefined) this.reads.member(node, ancestors);
    if (name !== undefined && METADATA_READS.has(name)) {
      this.add(
        'metadata-read',
        node,
        `Reflect.${name} reads decorator metadata, where tsc output stores the Function constructor`,
      );
    }
    if (name === undefined || !SENSITIVE_MEMBERS.has(name)) return;
    const object = node.object;
    if (object.type === 'Identifier' && (this.aliases.has(object.name) || ROOT_BY_NAME[object.name] !== undefined))
      return;
    if (name === 'constructor') {
      const use = constructorUse(node, ancestors);
      if (use?.method !== undefined)
        this.retargets.uses.push({ method: use.method, start: use.node.start ?? 0, message: use.message });
      else if (use) this.add('function-constructor', use.node, use.message);
      return;
    }
    if (name === 'prepareStackTrace') {
      this.add('caller-access', node, 'Error.prepareStackTrace hands out call sites, their functions and receivers');
      return;
    }
    if (name === 'callee' || name === 'caller') {
      const afterCallee = object.type === 'MemberExpression' && staticName(object) === 'callee';
      const reached =
        object.type === 'Identifier'
          ? object.name === 'arguments'
          : name === 'caller' && object.type !== 'ThisExpression' && !afterCallee;
      if (reached) this.add('caller-access', node, `.${name} reaches the calling function and its scope`);
      return;
    }
    const root = ROOT_BY_NAME[name];
    if (object.type === 'ThisExpression' && root !== undefined && this.script && !insideClass(ancestors)) {
      this.reference(root, ancestors, ancestors.length - 1);
      return;
    }
    if (node.computed && node.property.type !== 'Literal') {
      this.add('computed-global-access', node, `builds the member name '${name}' from pieces`);
    }
  }

  /** Imports from `node:process` become aliases or findings; `createRequire` from `node:module` is a finding. */
  private trackImport(node: ESTree.ImportDeclaration): void {
    const name = builtinName(String(node.source.value));
    for (const spec of node.specifiers) {
      const imported =
        spec.type !== 'ImportSpecifier'
          ? 'default'
          : spec.imported.type === 'Identifier'
            ? spec.imported.name
            : String(spec.imported.value);
      if (name === 'module' && imported === 'createRequire') {
        this.add('create-require', spec, 'imports createRequire', 'node:module');
      }
      if (name !== 'process') continue;
      const outcome = spec.type === 'ImportSpecifier' ? this.memberVerdict('process', imported, spec) : 'same-root';
      if (outcome === 'same-root') this.aliases.set(spec.local.name, 'process');
      if (outcome === 'builtin')
        this.add('computed-builtin', spec, 'imports getBuiltinModule: its calls cannot be followed');
    }
  }

  /**
   * A re-export of `node:process` hands its members to importers, whose uses of them this file cannot see: `export *`
   * and `export { default }` are escapes, and each named member gets the verdict a direct import of it would.
   */
  private reexport(node: ESTree.ExportAllDeclaration | ESTree.ExportNamedDeclaration): void {
    if (builtinName(String(node.source?.value)) !== 'process') return;
    if (node.type === 'ExportAllDeclaration') {
      this.add('escaped-reference', node, 're-exports all of process: its importers use it out of sight');
      return;
    }
    for (const spec of node.specifiers) {
      const name = spec.local.type === 'Identifier' ? spec.local.name : String(spec.local.value);
      const outcome = this.memberVerdict('process', name, spec);
      if (outcome === 'builtin')
        this.add('computed-builtin', spec, 're-exports getBuiltinModule: its calls cannot be followed');
      if (outcome === 'same-root')
        this.add('escaped-reference', spec, `re-exports process.${name}: process used out of sight`);
    }
  }

  private specifier(source: ESTree.StringLiteral, how: string): void {
    const verdict = classifySpecifier(String(source.value), this.file, how);
    if (verdict) this.add(verdict.rule, source, verdict.message, verdict.capability);
  }
}
