import type { ESTree } from 'meriyah';
import { builtinName, isHarmlessBuiltin } from '../capabilities/capability-catalogue.js';
import { classifySpecifier } from './classify-specifier.js';
import { foldString } from './fold-string.js';
import { isInspection, staticName } from './reference-context.js';
import type { ScanRule } from './scan-rules.js';
import { escapeVerdict, memberOutcome, ROOT_BY_NAME, type SensitiveRoot } from './sensitive-roots.js';
import { isDesignMetadataArgument } from './tsc-metadata.js';

/** A finding before its offset is turned into a line and column. */
export interface RawFinding {
  readonly rule: ScanRule;
  readonly start: number;
  readonly message: string;
  readonly capability?: string;
}

/** Findings kept per rule and capability in one file: enough to fix, bounded against hostile input. */
export const MAX_PER_KIND = 50;

/**
 * Follows the uses of sensitive roots through their syntactic context (member, call, destructuring, alias) and
 * records findings; {@link FileWalk} feeds it the nodes of one file.
 */
export abstract class RootTracker {
  readonly found: RawFinding[] = [];
  protected readonly aliases = new Map<string, SensitiveRoot>();
  private readonly counts = new Map<string, number>();
  /** Initialisers of tracked aliases: reading them is not an escape. */
  private readonly tracked = new Set<ESTree.Node>();

  /** Set for ES modules declaring tsc's unchanged `__metadata` helper: its `design:*` types are not escapes. */
  protected designMetadata = false;

  constructor(protected readonly file: string) {}

  /**
   * Records a finding at `node.start` (always set: files are parsed with offsets); past {@link MAX_PER_KIND} of one
   * rule and capability the rest add nothing new.
   */
  add(rule: ScanRule, node: { readonly start?: number }, message: string, capability?: string): void {
    const kind = capability === undefined ? rule : `${rule} ${capability}`;
    const count = this.counts.get(kind) ?? 0;
    if (count >= MAX_PER_KIND) return;
    this.counts.set(kind, count + 1);
    this.found.push(
      capability === undefined
        ? { rule, start: node.start ?? 0, message }
        : { rule, start: node.start ?? 0, message, capability },
    );
  }
  /** `require(x)` and `import(x)`: a literal (or foldable) name is classified, anything else is computed. */
  protected load(arg: ESTree.Node | undefined, node: ESTree.Node, ancestors: ESTree.Node[], how: string): void {
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

  protected memberVerdict(
    root: SensitiveRoot,
    name: string | undefined,
    node: ESTree.Node,
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
  protected trackAlias(declarator: ESTree.VariableDeclarator): void {
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

  protected reference(root: SensitiveRoot, ancestors: ESTree.Node[], index: number): void {
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
    } else if (this.designMetadata && isDesignMetadataArgument(node, ancestors, index)) {
      // Stored where Reflect.getMetadata reads it back: the plugin scan rejects such a read in any of its files.
      this.add(
        'design-metadata',
        node,
        `${root} passed to tsc's __metadata helper: no file may read decorator metadata back`,
      );
    } else {
      const verdict = escapeVerdict(root, root === 'global' ? 'the global object' : root);
      this.add(verdict.rule, node, verdict.message);
    }
  }

  private memberOf(
    root: SensitiveRoot,
    member: ESTree.MemberExpression,
    ancestors: ESTree.Node[],
    index: number,
  ): void {
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

  private builtinCall(parent: ESTree.Node | undefined, callee: ESTree.Node): void {
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

  private call(
    root: SensitiveRoot,
    call: ESTree.CallExpression | ESTree.NewExpression,
    ancestors: ESTree.Node[],
  ): void {
    if (root === 'require' && call.type === 'CallExpression') {
      this.load(call.arguments[0], call, ancestors, 'require');
      return;
    }
    const verdict = escapeVerdict(root, `calls ${root === 'global' ? 'the global object' : root}`);
    this.add(verdict.rule, call, verdict.message);
  }

  private destructure(root: SensitiveRoot, pattern: ESTree.ObjectPattern): void {
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
