/**
 * The module customization hooks of the module gate. They run on Node's hooks thread, registered once by
 * {@link moduleGate} through `module.register()`; policy updates arrive on a MessagePort and are acknowledged.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { approvedGoal, fileDenial, type LoadGoal } from './file-approval.js';
import {
  builtinDenial,
  deniedError,
  escapeDenial,
  type GatePolicy,
  GENERATION_PARAM,
  isInside,
  policyFor,
  urlDenial,
} from './gate-policy.js';

/** Policy updates from the main thread (the policies of several folders at once), acknowledged by posting back its id. */
export interface GateMessage {
  readonly id: number;
  readonly policies: readonly GatePolicy[];
}

/** What {@link initialize} receives from `module.register()`. */
export interface GateHooksData {
  readonly port: MessagePort;
  /** URL of plugin-modu.js: bare `modu` from plugin code resolves here. */
  readonly pluginModuURL: string;
  /** URL of module-gate.js, the one module that imports plugin entries. */
  readonly gateURL: string;
}

interface ResolveContext {
  readonly parentURL?: string;
  readonly conditions?: readonly string[];
  readonly importAttributes?: Record<string, string>;
}
interface ResolveResult {
  readonly url: string;
  readonly format?: string | null;
  readonly shortCircuit?: boolean;
}
type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
interface LoadContext {
  readonly format?: string | null;
  readonly conditions?: readonly string[];
  readonly importAttributes?: Record<string, string>;
  /** Not documented, but read by Node's default load (v20 to v24): a source given here is not read again. */
  readonly source?: string | Buffer | ArrayBuffer | Uint8Array | null;
}
interface LoadResult {
  readonly format: string;
  readonly source?: string | Buffer | ArrayBuffer | Uint8Array | null;
  readonly shortCircuit?: boolean;
}
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;

const policies = new Map<string, GatePolicy>();
/** data: and http(s): modules a plugin imported (when granted): their own imports get the plugin's policy. */
const derived = new Map<string, GatePolicy>();
const MAX_DERIVED = 10_000;
let pluginModuURL = '';
let gateURL = '';

/** Receives the policy port and the plugin API's URL once, when `module.register()` starts the hooks. */
export function initialize(data: GateHooksData): void {
  pluginModuURL = data.pluginModuURL;
  gateURL = data.gateURL;
  data.port.on('message', (message: GateMessage) => {
    for (const policy of message.policies) policies.set(policy.root, policy);
    data.port.postMessage(message.id);
  });
  data.port.unref();
}

function gatedParent(parentURL: string | undefined): { policy: GatePolicy; generation: string | null } | undefined {
  if (parentURL === undefined) return undefined;
  const inherited = derived.get(parentURL);
  if (inherited !== undefined) return { policy: policies.get(inherited.root) ?? inherited, generation: null };
  if (!parentURL.startsWith('file:')) return undefined;
  const url = new URL(parentURL);
  const policy = policyFor(fileURLToPath(url), policies);
  return policy === undefined ? undefined : { policy, generation: url.searchParams.get(GENERATION_PARAM) };
}

/**
 * Applies the policy of the plugin that imports: `modu` is the host's plugin API, built-ins and URLs load by
 * grant, files (and packages) from inside its folder only, and the parent's generation passes on to its children.
 */
export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  // The gate hands over entries as file URLs of real paths inside admitted folders: nothing left to resolve.
  if (context.parentURL === gateURL && specifier.startsWith('file:')) {
    const entry = new URL(specifier);
    if (policyFor(fileURLToPath(entry), policies) !== undefined) return { url: specifier, shortCircuit: true };
  }
  const parent = gatedParent(context.parentURL);
  if (parent === undefined) return next(specifier, context);
  const { policy, generation } = parent;
  if (specifier === 'modu') return { url: pluginModuURL, format: 'module', shortCircuit: true };
  const urlDenied = urlDenial(specifier, policy);
  if (urlDenied !== undefined) throw deniedError(urlDenied);
  const result = await next(specifier, context);
  if (!result.url.startsWith('file:') && !result.url.startsWith('node:')) {
    if (derived.size >= MAX_DERIVED) derived.delete(derived.keys().next().value ?? '');
    derived.set(result.url, policy);
    return result;
  }
  if (result.url.startsWith('node:')) {
    const denied = builtinDenial(result.url, policy);
    if (denied !== undefined) throw deniedError(denied);
    return result;
  }
  if (!result.url.startsWith('file:')) return result;
  const url = new URL(result.url);
  const path = fileURLToPath(url);
  const escaped = escapeDenial(specifier, path, policy);
  if (escaped !== undefined) throw deniedError(escaped);
  // A child inside the same plugin joins its parent's generation, so a reload re-evaluates the whole graph.
  if (generation === null || !isInside(path, policy.root)) return result;
  url.searchParams.set(GENERATION_PARAM, generation);
  return { ...result, url: url.href };
}

const FORMAT_GOALS: Readonly<Record<string, LoadGoal>> = {
  module: 'module',
  commonjs: 'script',
  json: 'json',
  wasm: 'binary',
};

/** The text of a source as the scan hashed it (UTF-8), or the bytes of a binary. */
function contentOf(source: string | Buffer | ArrayBuffer | Uint8Array, goal: LoadGoal): string | Uint8Array {
  if (typeof source === 'string') return source;
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  return goal === 'binary' ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Only scanned bytes run: a file of an admitted plugin loads only when its scan read it, and with the content it read
 * (by sha256), under the goal Node picks for it (see fileDenial). The file is read here, in one system call, and that
 * very source is handed on, so nothing can change between the check and the compile. A CommonJS file is handed on
 * without its source, as Node's default load does, and checked where the CommonJS loader compiles it.
 */
export async function load(url: string, context: LoadContext, next: NextLoad): Promise<LoadResult> {
  if (!url.startsWith('file:')) return next(url, context);
  const path = fileURLToPath(url);
  const policy = policyFor(path, policies);
  if (policy === undefined) return next(url, context);
  if (approvedGoal(path, policy) === undefined) throw deniedError(fileDenial(path, 'module', undefined, policy) ?? '');
  let source = context.source;
  if (source == null && context.format !== 'commonjs') {
    try {
      source = readFileSync(path);
    } catch {
      return next(url, context); // Node reports a missing or unreadable file in its own words
    }
  }
  const result = await next(url, source == null ? context : { ...context, source });
  const goal = FORMAT_GOALS[result.format];
  const denied =
    goal === undefined
      ? `plugin "${policy.name}" may not load ${path} as ${result.format}: the scan approves JavaScript, JSON and binaries only`
      : fileDenial(path, goal, result.source == null ? undefined : contentOf(result.source, goal), policy);
  if (denied !== undefined) throw deniedError(denied);
  return result;
}
