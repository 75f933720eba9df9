/**
 * The module gate's hooks for a Node without `module.registerHooks` (Node 20): they run on Node's hooks thread,
 * registered once through `module.register()` (see port-hooks.ts); policy updates arrive on a MessagePort and are
 * acknowledged. The rules themselves are gate-policy.ts's, shared with the in-thread hooks (thread-hooks.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MessagePort } from 'node:worker_threads';
import { approvedGoal, fileDenial, loadedDenial } from './file-approval.js';
import { deniedError, type GatePolicy, type GateTable, policyFor, resolveAfter, resolveBefore } from './gate-policy.js';
import type { LoadContext, LoadResult, ResolveContext, ResolveResult } from './hook-types.js';

/** Policy updates from the main thread (the policies of several folders at once), acknowledged by posting back its id. */
export interface GateMessage {
  readonly id: number;
  readonly policies: readonly GatePolicy[];
}

/** What {@link initialize} receives from `module.register()`. */
export interface GateHooksData {
  readonly port: MessagePort;
  readonly pluginModuURL: string;
  readonly gateURL: string;
}

type NextResolve = (specifier: string, context?: ResolveContext) => Promise<ResolveResult>;
type NextLoad = (url: string, context?: LoadContext) => Promise<LoadResult>;

const policies = new Map<string, GatePolicy>();
const table: { -readonly [K in keyof GateTable]: GateTable[K] } = {
  policies,
  derived: new Map(),
  // Entries are handed over in-thread only: here every URL is worked out afresh.
  entries: new Map(),
  pluginModuURL: '',
  gateURL: '',
};

/** Receives the policy port and the plugin API's URL once, when `module.register()` starts the hooks. */
export function initialize(data: GateHooksData): void {
  table.pluginModuURL = data.pluginModuURL;
  table.gateURL = data.gateURL;
  data.port.on('message', (message: GateMessage) => {
    for (const policy of message.policies) policies.set(policy.root, policy);
    data.port.postMessage(message.id);
  });
  data.port.unref();
}

/** Applies the gate's resolve rules (gate-policy.ts) around Node's own resolution. */
export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<ResolveResult> {
  const step = resolveBefore(specifier, context.parentURL, table);
  if (step.kind === 'pass') return next(specifier, context);
  if (step.kind === 'done') return step.result;
  const result = await next(specifier, context);
  const url = resolveAfter(specifier, result.url, step, table);
  return url === result.url ? result : { ...result, url };
}

/**
 * Only scanned bytes run: a file of an admitted plugin loads only when its scan read it, and with the content it read
 * (by sha256), under the goal Node picks for it (see loadedDenial). The file is read here, in one system call (Node's
 * default asynchronous load takes four thread-pool round trips), and that very source is handed on, so nothing can
 * change between the check and the compile. A CommonJS file is handed on without its source, as Node's default load
 * does, and checked where the CommonJS loader compiles it.
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
  const denied = loadedDenial(path, result.format, result.source, policy);
  if (denied !== undefined) throw deniedError(denied);
  return result;
}
