import { dirname, isAbsolute, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinName, isHarmlessBuiltin } from '../../capabilities/capability-catalogue.js';
// Captured intrinsics: in-thread hooks and the CommonJS gate run where plugin code could replace prototype methods.
import {
  ArrayPrototypeIncludes,
  MapPrototypeDelete,
  MapPrototypeGet,
  MapPrototypeSet,
  RegExpPrototypeExec,
  StringPrototypeEndsWith,
  StringPrototypeStartsWith,
  StringPrototypeToLowerCase,
} from '../../primordials.js';
import type { ApprovedFile } from '../../scanner/scan-types.js';
import type { ResolveResult } from './hook-types.js';

/** What the gate knows about one admitted plugin. */
export interface GatePolicy {
  readonly name: string;
  /** Absolute plugin folder. */
  readonly root: string;
  readonly granted: readonly string[];
  /**
   * Every file its scan read and passed, by path relative to the root, with their sha256 and goal: the only files of
   * the plugin that load (see fileDenial). Undefined until the scan passed: nothing loads.
   */
  readonly files?: Readonly<Record<string, ApprovedFile>>;
  /** Names the approved files (the scan's content hash): equal ids, equal files. */
  readonly filesId?: string;
}

/** Marks a denial so that it survives the trip from the hooks thread (when hooks run there) as a plain Error. */
export const DENIED_CODE = 'MODU_PERMISSION_DENIED';

/** The query that makes a reload a new module instance: `?modu-gen=<n>`. */
export const GENERATION_PARAM = 'modu-gen';

/**
 * True when `path` is `root` or inside it. Both are absolute and normalised (resolved paths, as the
 * loaders hand them over), so a prefix check is exact; it runs for every module on every release.
 */
export function isInside(path: string, root: string): boolean {
  return path === root || StringPrototypeStartsWith(path, StringPrototypeEndsWith(root, sep) ? root : `${root}${sep}`);
}

/**
 * The policy of the innermost admitted root holding `path`: one map lookup per folder level, so the cost does not
 * grow with the number of plugins (a resolve hook runs for every import in the process).
 */
export function policyFor(path: string, policies: ReadonlyMap<string, GatePolicy>): GatePolicy | undefined {
  if (policies.size === 0) return undefined;
  let dir = path;
  for (;;) {
    const policy = MapPrototypeGet(policies, dir);
    if (policy !== undefined) return policy;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Why `policy` may not load built-in `specifier`, or undefined when it may (harmless, or granted). */
export function builtinDenial(specifier: string, policy: GatePolicy): string | undefined {
  const name = builtinName(specifier);
  if (name === undefined || isHarmlessBuiltin(name)) return undefined;
  if (ArrayPrototypeIncludes(policy.granted, `node:${name}`)) return undefined;
  return `Plugin "${policy.name}" may not load the built-in node:${name}: it is not granted. Ask for node:${name} in its plugin.yaml permissions and grant it in modu.yaml under plugins.${policy.name}.grants.`;
}

/** Why `policy` may not import URL `specifier` (data: needs dynamic-code, http(s): needs network). */
export function urlDenial(specifier: string, policy: GatePolicy): string | undefined {
  const found = RegExpPrototypeExec(URL_SCHEME, specifier)?.[1];
  const scheme = found === undefined ? undefined : StringPrototypeToLowerCase(found);
  if (scheme === undefined) return undefined;
  const capability = scheme === 'data' ? 'dynamic-code' : 'network';
  if (ArrayPrototypeIncludes(policy.granted, capability)) return undefined;
  return `Plugin "${policy.name}" may not import a ${scheme}: URL: it needs the ${capability} capability, which is not granted.`;
}

/**
 * Why `policy` may not load file `path`, which `specifier` resolved to, or undefined when the file lies inside the
 * plugin folder. A package resolves outside it when it is not bundled in the plugin's own node_modules: the host's
 * packages run with the host's rights, unscanned, so a plugin may not borrow them.
 */
export function escapeDenial(specifier: string, path: string, policy: GatePolicy): string | undefined {
  if (isInside(path, policy.root)) return undefined;
  if (isPathSpecifier(specifier))
    return `Plugin "${policy.name}" may not load ${path}: it is outside the plugin folder ${policy.root}.`;
  return `Plugin "${policy.name}" may not load the package '${specifier}' from ${path}: only packages bundled in the plugin's own node_modules load, and from 'modu' only the plugin API.`;
}

/** True for a specifier that names a file by path (relative, absolute or file: URL) rather than a package. */
function isPathSpecifier(specifier: string): boolean {
  return (
    StringPrototypeStartsWith(specifier, '.') ||
    StringPrototypeStartsWith(specifier, '/') ||
    StringPrototypeStartsWith(specifier, 'file:') ||
    isAbsolute(specifier)
  );
}

/** An Error carrying the denial code; the main side turns it into a ModuError. */
export function deniedError(message: string): Error {
  return Object.assign(new Error(message), { code: DENIED_CODE });
}

/**
 * A plugin entry the gate imports, by its URL (real path and generation): what the hooks would otherwise work out
 * from the URL on every resolve and load of it and of its imports.
 */
export interface GateEntry {
  /** The real root of the admitted plugin holding it: its policy's key. */
  readonly root: string;
  /** Its real path. */
  readonly path: string;
  readonly generation: string;
  /** The format Node gives it, when the gate knows it for certain (see entryFormat). */
  readonly format: 'module' | undefined;
}

/**
 * What the resolve rules read and write, wherever the hooks run: the policies by real root, the data: and http(s):
 * modules a plugin imported (when granted; their own imports get the plugin's policy), the entries handed over (only
 * where the hooks run in-thread; empty on the hooks thread), and two URLs.
 */
export interface GateTable {
  readonly policies: ReadonlyMap<string, GatePolicy>;
  readonly derived: Map<string, GatePolicy>;
  readonly entries: ReadonlyMap<string, GateEntry>;
  /** URL of plugin-modu.js: bare `modu` from plugin code resolves here. */
  readonly pluginModuURL: string;
  /** URL of module-gate.js, the one module that imports plugin entries. */
  readonly gateURL: string;
}

/** How a resolve goes on after {@link resolveBefore}. */
export type ResolveStep =
  /** Not plugin code: Node resolves as usual, ungated. */
  | { readonly kind: 'pass' }
  /** Answered without asking Node. */
  | { readonly kind: 'done'; readonly result: ResolveResult }
  /** Plugin code: Node resolves, then {@link resolveAfter} judges what it found. */
  | { readonly kind: 'judge'; readonly policy: GatePolicy; readonly generation: string | null };

const MAX_DERIVED = 10_000;

/** An entry resolved: with its format when known, so that Node does not look up its package scope again. */
function entryResult(url: string, format: GateEntry['format']): ResolveResult {
  return format === undefined ? { url, shortCircuit: true } : { url, format, shortCircuit: true };
}
const URL_SCHEME = /^(data|https?):/i;

function gatedParent(parentURL: string | undefined, table: GateTable): ResolveStep {
  if (parentURL === undefined) return { kind: 'pass' };
  const entry = MapPrototypeGet(table.entries, parentURL);
  const entryPolicy = entry === undefined ? undefined : MapPrototypeGet(table.policies, entry.root);
  if (entry !== undefined && entryPolicy !== undefined)
    return { kind: 'judge', policy: entryPolicy, generation: entry.generation };
  const inherited = MapPrototypeGet(table.derived, parentURL);
  if (inherited !== undefined)
    return { kind: 'judge', policy: MapPrototypeGet(table.policies, inherited.root) ?? inherited, generation: null };
  if (!StringPrototypeStartsWith(parentURL, 'file:')) return { kind: 'pass' };
  const url = new URL(parentURL);
  const policy = policyFor(fileURLToPath(url), table.policies);
  if (policy === undefined) return { kind: 'pass' };
  return { kind: 'judge', policy, generation: url.searchParams.get(GENERATION_PARAM) };
}

/**
 * The rules before Node resolves `specifier` imported from `parentURL`: entries the gate hands over need no
 * resolving, `modu` is the host's plugin API, and a URL import needs its capability.
 * @throws Error with code {@link DENIED_CODE}
 */
export function resolveBefore(specifier: string, parentURL: string | undefined, table: GateTable): ResolveStep {
  // The gate hands over entries as file URLs of real paths inside admitted folders: nothing left to resolve.
  if (parentURL === table.gateURL && StringPrototypeStartsWith(specifier, 'file:')) {
    const entry = MapPrototypeGet(table.entries, specifier);
    if (entry !== undefined && MapPrototypeGet(table.policies, entry.root) !== undefined)
      return { kind: 'done', result: entryResult(specifier, entry.format) };
    if (policyFor(fileURLToPath(new URL(specifier)), table.policies) !== undefined)
      return { kind: 'done', result: { url: specifier, shortCircuit: true } };
  }
  const step = gatedParent(parentURL, table);
  if (step.kind !== 'judge') return step;
  if (specifier === 'modu')
    return { kind: 'done', result: { url: table.pluginModuURL, format: 'module', shortCircuit: true } };
  const urlDenied = urlDenial(specifier, step.policy);
  if (urlDenied !== undefined) throw deniedError(urlDenied);
  return step;
}

/**
 * The rules after Node resolved `specifier` to `resolved` for plugin code: built-ins load by grant, files and
 * packages from inside the plugin folder only, and a child inside the folder joins its parent's generation (so a
 * reload re-evaluates the whole graph). Returns the URL to load.
 * @throws Error with code {@link DENIED_CODE}
 */
export function resolveAfter(
  specifier: string,
  resolved: string,
  step: Extract<ResolveStep, { kind: 'judge' }>,
  table: GateTable,
): string {
  const { policy, generation } = step;
  if (StringPrototypeStartsWith(resolved, 'node:')) {
    const denied = builtinDenial(resolved, policy);
    if (denied !== undefined) throw deniedError(denied);
    return resolved;
  }
  if (!StringPrototypeStartsWith(resolved, 'file:')) {
    if (table.derived.size >= MAX_DERIVED) MapPrototypeDelete(table.derived, table.derived.keys().next().value ?? '');
    MapPrototypeSet(table.derived, resolved, policy);
    return resolved;
  }
  const url = new URL(resolved);
  const path = fileURLToPath(url);
  const escaped = escapeDenial(specifier, path, policy);
  if (escaped !== undefined) throw deniedError(escaped);
  if (generation === null) return resolved;
  url.searchParams.set(GENERATION_PARAM, generation);
  return url.href;
}
