import type {
  AnyNode,
  CallExpression,
  ImportDeclaration,
  MemberExpression,
  NewExpression,
  ObjectPattern,
  Program,
} from 'acorn';
import { ancestor } from 'acorn-walk';
import { builtinName, isHarmlessBuiltin } from '../capabilities/capability-catalogue.js';
import { classifySpecifier } from './classify-specifier.js';
import { foldString } from './fold-string.js';
import type { ScanRule } from './scan-rules.js';
import { escapeVerdict, memberOutcome, ROOT_BY_NAME, type SensitiveRoot } from './sensitive-roots.js';

/** A finding before its offset is turned into a line and column. */
export interface RawFinding {
  readonly rule: ScanRule;
  readonly start: number;
  readonly message: string;
  readonly capability?: string;
}

/** Thrown when the walk of one file runs past its deadline. */
export class ScanDeadline extends Error {}

/** Parents in which reading `.constructor` only inspects it. */
const CONSTRUCTOR_READS = new Set([
  'BinaryExpression',
  'UnaryExpression',
  'ExpressionStatement',
  'IfStatement',
  'TemplateLiteral',
]);
const SAFE_COMPARISONS = new Set(['===', '!==', '==', '!=', 'instanceof', 'in']);
const SENSITIVE_MEMBERS = new Set(['constructor', 'binding', 'dlopen', 'mainModule', 'getBuiltinModule', 'caller']);
for (const name of ['callee', '_linkedBinding', 'createRequire', ...Object.keys(ROOT_BY_NAME)])
  SENSITIVE_MEMBERS.add(name);

/** True when the parent only inspects the value: `typeof x`, `x === y`, a bare statement. */
function isInspection(parent: AnyNode): boolean {
  if (parent.type === 'UnaryExpression') return parent.operator === 'typeof';
  if (parent.type === 'BinaryExpression') return SAFE_COMPARISONS.has(parent.operator);
  return parent.type === 'ExpressionStatement';
}

function isStrictBody(body: readonly AnyNode[]): boolean {
  const first = body[0];
  return first?.type === 'ExpressionStatement' && first.directive === 'use strict';
}

/**
 * True when `this` inside a sloppy-mode function (not arrow, method or class) is used as a value: called
 * plainly, such a function gets the global object as `this`, which then escapes the scanner's view.
 */
function escapesSloppyThis(node: AnyNode, ancestors: AnyNode[]): boolean {
  const parent = ancestors[ancestors.length - 2];
  if (parent?.type === 'MemberExpression' && parent.object === node) return false;
  if (ancestors[0]?.type === 'Program' && isStrictBody(ancestors[0].body)) return false;
  for (let i = ancestors.length - 2; i >= 0; i--) {
    const scope = ancestors[i];
    if (scope === undefined || scope.type === 'ArrowFunctionExpression') continue;
    if (scope.type === 'ClassBody') return false;
    if (scope.type !== 'FunctionExpression' && scope.type !== 'FunctionDeclaration') continue;
    const owner = ancestors[i - 1];
    if (owner?.type === 'MethodDefinition' || (owner?.type === 'Property' && (owner.method || owner.kind !== 'init')))
      return false;
    if (scope.body.type === 'BlockStatement' && isStrictBody(scope.body.body)) return false;
    return true;
  }
  return false;
}

function staticName(node: MemberExpression): string | undefined {
  if (!node.computed) return node.property.type === 'Identifier' ? node.property.name : undefined;
  return foldString(node.property);
}

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
  private visits = 0;

  constructor(
    private readonly file: string,
    private readonly script: boolean,
    private readonly deadline: number,
  ) {}

  run(ast: Program): void {
    for (const statement of ast.body) if (statement.type === 'ImportDeclaration') this.trackImport(statement);
    ancestor(ast, {
      Identifier: (node, _state, ancestors) => {
        this.tick();
        const root = this.aliases.get(node.name) ?? ROOT_BY_NAME[node.name];
        if (root !== undefined) this.reference(root, ancestors, ancestors.length - 1);
      },
      MemberExpression: (node, _state, ancestors) => this.member(node, ancestors),
      ImportDeclaration: (node) => this.specifier(node.source, 'imports'),
      ExportAllDeclaration: (node) => this.specifier(node.source, 're-exports'),
      ExportNamedDeclaration: (node) => {
        if (node.source) this.specifier(node.source, 're-exports');
      },
      ImportExpression: (node, _state, ancestors) => this.load(node.source, node, ancestors, 'import()'),
      WithStatement: (node) => this.add('with-statement', node, 'a with statement hides which names it reads'),
      ObjectPattern: (node) => this.constructorPattern(node),
      ThisExpression: (node, _state, ancestors) => {
        if (this.script && escapesSloppyThis(node, ancestors)) {
          this.add('sloppy-this', node, '`this` of a sloppy-mode function may be the global object and escapes here');
        }
      },
    });
  }

  /** Rules that hold on any object: `.constructor` reached as a value, `arguments.callee`, names built from pieces. */
  private member(node: MemberExpression, ancestors: AnyNode[]): void {
    this.tick();
    const name = staticName(node);
    if (name === undefined || !SENSITIVE_MEMBERS.has(name)) return;
    const object = node.object;
    if (object.type === 'Identifier' && (this.aliases.has(object.name) || ROOT_BY_NAME[object.name] !== undefined))
      return;
    if (name === 'constructor') {
      this.constructorUse(node, ancestors[ancestors.length - 2]);
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
    if (
      object.type === 'ThisExpression' &&
      root !== undefined &&
      this.script &&
      !ancestors.some((a) => a.type === 'ClassBody')
    ) {
      this.reference(root, ancestors, ancestors.length - 1);
      return;
    }
    if (node.computed && node.property.type !== 'Literal') {
      this.add('computed-global-access', node, `builds the member name '${name}' from pieces`);
    }
  }

  private constructorUse(node: MemberExpression, parent: AnyNode | undefined): void {
    if (parent === undefined) return;
    const isThis = node.object.type === 'ThisExpression';
    if ((parent.type === 'CallExpression' || parent.type === 'NewExpression') && parent.callee === node) {
      if (!isThis) this.add('function-constructor', node, 'calls .constructor, which reaches the Function constructor');
      return;
    }
    if (parent.type === 'MemberExpression' && parent.object === node) {
      if (staticName(parent) === 'constructor')
        this.add('function-constructor', parent, '.constructor.constructor is the Function constructor');
      return;
    }
    if (isThis || CONSTRUCTOR_READS.has(parent.type)) return;
    this.add('function-constructor', node, '.constructor used as a value may be the Function constructor');
  }

  private constructorPattern(pattern: ObjectPattern): void {
    for (const property of pattern.properties) {
      if (property.type === 'RestElement') continue;
      const key = property.key;
      const name = property.computed ? foldString(key) : key.type === 'Identifier' ? key.name : foldString(key);
      if (name === 'constructor')
        this.add('function-constructor', property, 'destructures .constructor, which may be the Function constructor');
    }
  }

  add(rule: ScanRule, node: { start: number }, message: string, capability?: string): void {
    this.found.push(
      capability === undefined
        ? { rule, start: node.start, message }
        : { rule, start: node.start, message, capability },
    );
  }

  private tick(): void {
    if ((++this.visits & 1023) === 0 && performance.now() > this.deadline) throw new ScanDeadline();
  }

  private trackImport(node: ImportDeclaration): void {
    const name = builtinName(String(node.source.value));
    for (const spec of node.specifiers) {
      if (name === 'process') {
        if (spec.type !== 'ImportSpecifier') this.aliases.set(spec.local.name, 'process');
        else
          this.memberVerdict(
            'process',
            spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value),
            spec,
          );
      } else if (name === 'module' && spec.type === 'ImportSpecifier') {
        const imported = spec.imported.type === 'Identifier' ? spec.imported.name : String(spec.imported.value);
        if (imported === 'createRequire') this.add('create-require', spec, 'imports createRequire', 'node:module');
      }
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
  private reference(root: SensitiveRoot, ancestors: AnyNode[], index: number): void {
    const node = ancestors[index];
    const parent = ancestors[index - 1];
    if (node === undefined || parent === undefined || isInspection(parent)) return;
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
