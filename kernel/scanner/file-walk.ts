import type {
  AnyNode,
  CallExpression,
  ImportDeclaration,
  MemberExpression,
  NewExpression,
  ObjectPattern,
  Program,
  VariableDeclarator,
} from 'acorn';
import { builtinName, isHarmlessBuiltin } from '../capabilities/capability-catalogue.js';
import { classifySpecifier } from './classify-specifier.js';
import { foldString } from './fold-string.js';
import {
  constructorKey,
  constructorUse,
  escapesSloppyThis,
  insideClass,
  isInspection,
  isWrapperArguments,
  reflectiveKey,
  SENSITIVE_MEMBERS,
  staticName,
} from './reference-context.js';
import type { ScanRule } from './scan-rules.js';
import { escapeVerdict, memberOutcome, ROOT_BY_NAME, type SensitiveRoot } from './sensitive-roots.js';
import { walkTree } from './walk-tree.js';

/** A finding before its offset is turned into a line and column. */
export interface RawFinding {
  readonly rule: ScanRule;
  readonly start: number;
  readonly message: string;
  readonly capability?: string;
}

/** Findings kept per rule and capability in one file: enough to fix, bounded against hostile input. */
export const MAX_PER_KIND = 50;

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
export class FileWalk {
  readonly found: RawFinding[] = [];
  private readonly aliases = new Map<string, SensitiveRoot>();
  private readonly counts = new Map<string, number>();
  /** Initialisers of tracked aliases: reading them is not an escape. */
  private readonly tracked = new Set<AnyNode>();
  private visits = 0;

  constructor(
    private readonly file: string,
    private readonly script: boolean,
    private readonly deadline: number,
  ) {}

  run(ast: Program): void {
    // Top-level imports and aliases are read first: a function above them may already use the names.
    for (const statement of ast.body) {
      if (statement.type === 'ImportDeclaration') this.trackImport(statement);
      if (statement.type === 'VariableDeclaration') for (const d of statement.declarations) this.trackAlias(d);
    }
    walkTree(ast, (node, ancestors, binding) => this.enter(node, ancestors as AnyNode[], binding));
  }

  private enter(node: AnyNode, ancestors: AnyNode[], binding: boolean): void {
    if ((++this.visits & 1023) === 0 && performance.now() > this.deadline) throw new ScanDeadline();
    switch (node.type) {
      case 'Identifier':
      case 'PrivateIdentifier': {
        // acorn gives the decoded name; a longer source range means it was written with \u escapes.
        const written = node.end - node.start - (node.type === 'PrivateIdentifier' ? 1 : 0);
        if (written !== node.name.length)
          this.add('unicode-escape', node, `identifier '${node.name}' is written with Unicode escapes`);
        if (binding || node.type !== 'Identifier') return;
        const alias = this.aliases.size > 0 ? this.aliases.get(node.name) : undefined;
        const root = alias ?? ROOT_BY_NAME[node.name];
        if (root !== undefined) this.reference(root, ancestors, ancestors.length - 1);
        else if (node.name === 'arguments' && this.script && isWrapperArguments(ancestors)) {
          this.add('require-alias', node, "the module wrapper's arguments hold require and module");
        }
        return;
      }
      case 'CallExpression': {
        const reflective = reflectiveKey(node);
        if (reflective) {
          this.add(
            'computed-global-access',
            node,
            `reads '${reflective.name}' reflectively, out of the scanner's sight`,
          );
        }
        return;
      }
      case 'MemberExpression':
        this.member(node, ancestors);
        return;
      case 'ImportDeclaration':
        this.specifier(node.source, 'imports');
        return;
      case 'ExportAllDeclaration':
      case 'ExportNamedDeclaration':
        if (node.source) this.specifier(node.source, 're-exports');
        return;
      case 'ImportExpression':
        this.load(node.source, node, ancestors, 'import()');
        return;
      case 'WithStatement':
        this.add('with-statement', node, 'a with statement hides which names it reads');
        return;
      case 'ObjectPattern': {
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

  /** Rules that hold on any object: `.constructor` reached as a value, `arguments.callee`, names built from pieces. */
  private member(node: MemberExpression, ancestors: AnyNode[]): void {
    const name = staticName(node);
    if (name === undefined || !SENSITIVE_MEMBERS.has(name)) return;
    const object = node.object;
    if (object.type === 'Identifier' && (this.aliases.has(object.name) || ROOT_BY_NAME[object.name] !== undefined))
      return;
    if (name === 'constructor') {
      const use = constructorUse(node, ancestors[ancestors.length - 2]);
      if (use) this.add('function-constructor', use.node, use.message);
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

  /** Records a finding; past {@link MAX_PER_KIND} of one rule and capability the rest add nothing new. */
  add(rule: ScanRule, node: { start: number }, message: string, capability?: string): void {
    const kind = capability === undefined ? rule : `${rule} ${capability}`;
    const count = this.counts.get(kind) ?? 0;
    if (count >= MAX_PER_KIND) return;
    this.counts.set(kind, count + 1);
    this.found.push(
      capability === undefined
        ? { rule, start: node.start, message }
        : { rule, start: node.start, message, capability },
    );
  }

  /** Imports from `node:process` become aliases or findings; `createRequire` from `node:module` is a finding. */
  private trackImport(node: ImportDeclaration): void {
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

  private specifier(source: { start: number; value?: unknown }, how: string): void {
    const verdict = classifySpecifier(String(source.value), this.file, how);
    if (verdict) this.add(verdict.rule, source, verdict.message, verdict.capability);
  }

  /** `require(x)` and `import(x)`: a literal (or foldable) name is classified, anything else is computed. */
  private load(arg: AnyNode | undefined, node: AnyNode, ancestors: AnyNode[], how: string): void {
    const name = arg === undefined || arg.type === 'SpreadElement' ? undefined : foldString(arg);
    if (name === undefined) {
      const rule = how === 'import()' ? 'computed-import' : 'computed-require';
      this.add(rule, node, `${how} of a name computed at run time`);
      return;
    }
    const verdict = classifySpecifier(name, this.file, how === 'import()' ? 'import() of' : 'require of');
    if (verdict) this.add(verdict.rule, node, verdict.message, verdict.capability);
    if (builtinName(name) === 'process') {
      if (how === 'import()') this.add('escaped-reference', node, 'import() of process hides which members are used');
      else this.reference('process', ancestors, ancestors.lastIndexOf(node));
    }
  }

  private memberVerdict(
    root: SensitiveRoot,
    name: string | undefined,
    node: AnyNode,
  ): 'same-root' | 'builtin' | undefined {
    const outcome = memberOutcome(root, name);
    if (outcome === undefined || outcome === 'same-root' || outcome === 'builtin') return outcome;
    this.add(outcome.rule, node, outcome.message, undefined);
    return undefined;
  }

  /** Classifies a use of `root` at `ancestors[index]` by its parent. */
  /**
   * `const p = require('node:process')`, `const g = globalThis` and the like at the top level: `p` and `g` are
   * then followed like the root itself instead of the declaration being a finding.
   */
  private trackAlias(declarator: VariableDeclarator): void {
    const init = declarator.init;
    if (declarator.id.type !== 'Identifier' || init === null || init === undefined) return;
    let root: SensitiveRoot | undefined;
    if (init.type === 'Identifier') root = ROOT_BY_NAME[init.name];
    else if (
      init.type === 'MemberExpression' &&
      init.object.type === 'Identifier' &&
      ROOT_BY_NAME[init.object.name] === 'global'
    ) {
      const name = staticName(init);
      root = name === undefined ? undefined : ROOT_BY_NAME[name];
    } else if (init.type === 'CallExpression' && init.callee.type === 'Identifier' && init.callee.name === 'require') {
      const arg = init.arguments[0];
      const name = arg === undefined || arg.type === 'SpreadElement' ? undefined : foldString(arg);
      root = name !== undefined && builtinName(name) === 'process' ? 'process' : undefined;
    }
    if (root !== 'process' && root !== 'global') return;
    this.aliases.set(declarator.id.name, root);
    this.tracked.add(init);
  }

  private reference(root: SensitiveRoot, ancestors: AnyNode[], index: number): void {
    const node = ancestors[index];
    const parent = ancestors[index - 1];
    if (node === undefined || parent === undefined || isInspection(parent) || this.tracked.has(node)) return;
    if (parent.type === 'MemberExpression' && parent.object === node) this.memberOf(root, parent, ancestors, index - 1);
    else if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node) {
      this.call(root, parent, ancestors);
    } else if (parent.type === 'VariableDeclarator' && parent.init === node && parent.id.type === 'ObjectPattern') {
      this.destructure(root, parent.id);
    } else if (
      parent.type === 'AssignmentExpression' &&
      parent.right === node &&
      parent.left.type === 'ObjectPattern'
    ) {
      this.destructure(root, parent.left);
    } else {
      const verdict = escapeVerdict(root, root === 'global' ? 'the global object' : root);
      this.add(verdict.rule, node, verdict.message);
    }
  }

  private memberOf(root: SensitiveRoot, member: MemberExpression, ancestors: AnyNode[], index: number): void {
    const name = staticName(member);
    if (root === 'global') {
      const inner = name === undefined ? undefined : ROOT_BY_NAME[name];
      if (name === undefined)
        this.add('computed-global-access', member, 'reads the global object with a computed name');
      else if (inner !== undefined) this.reference(inner, ancestors, index);
      return;
    }
    const outcome = this.memberVerdict(root, name, member);
    if (outcome === 'same-root') this.reference(root, ancestors, index);
    if (outcome === 'builtin') this.builtinCall(ancestors[index - 1], member);
  }

  private builtinCall(parent: AnyNode | undefined, callee: AnyNode): void {
    if (parent?.type !== 'CallExpression' || parent.callee !== callee) {
      this.add('computed-builtin', callee, 'process.getBuiltinModule used as a value: its argument cannot be checked');
      return;
    }
    const arg = parent.arguments[0];
    const name = arg === undefined || arg.type === 'SpreadElement' ? undefined : foldString(arg);
    const capability = name === undefined ? undefined : builtinName(name);
    if (name === undefined || capability === undefined) {
      this.add('computed-builtin', parent, 'process.getBuiltinModule of a computed name bypasses the module gate');
    } else if (!isHarmlessBuiltin(name)) {
      this.add(
        'get-builtin-module',
        parent,
        `process.getBuiltinModule('${name}') needs node:${capability}`,
        `node:${capability}`,
      );
    }
  }

  private call(root: SensitiveRoot, call: CallExpression | NewExpression, ancestors: AnyNode[]): void {
    if (root === 'require' && call.type === 'CallExpression') {
      this.load(call.arguments[0], call, ancestors, 'require');
      return;
    }
    const verdict = escapeVerdict(root, `calls ${root === 'global' ? 'the global object' : root}`);
    this.add(verdict.rule, call, verdict.message);
  }

  private destructure(root: SensitiveRoot, pattern: ObjectPattern): void {
    for (const property of pattern.properties) {
      if (property.type === 'RestElement') {
        const verdict = escapeVerdict(root, `...rest of ${root}`);
        this.add(verdict.rule, property, verdict.message);
        continue;
      }
      const key = property.key;
      const name = property.computed ? foldString(key) : key.type === 'Identifier' ? key.name : foldString(key);
      if (root === 'global') {
        if (name === undefined || ROOT_BY_NAME[name] !== undefined) {
          this.add(
            'computed-global-access',
            property,
            `destructures ${name ?? 'a computed name'} from the global object`,
          );
        }
        continue;
      }
      const outcome = this.memberVerdict(root, name, property);
      if (outcome === 'builtin') this.add('computed-builtin', property, 'destructures process.getBuiltinModule');
      if (outcome === 'same-root') this.add('escaped-reference', property, `destructures ${root}.${name}`);
    }
  }
}
