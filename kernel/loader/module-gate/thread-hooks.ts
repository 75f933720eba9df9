/**
 * The module gate's hooks for a Node with `module.registerHooks` (22.15+, 24, 26): synchronous, on the thread that
 * imports, reading the gate's own policy map, so an admission is in force at once and an import costs no message.
 * The rules are gate-policy.ts's and file-approval.ts's, shared with the hooks-thread hooks (gate-hooks.ts).
 */
import nodeModule from 'node:module';
import { fileURLToPath } from 'node:url';
import { ArrayPrototypeIncludes, MapPrototypeGet, StringPrototypeStartsWith } from '../../primordials.js';
import { approvedGoal, fileDenial, loadedDenial } from './file-approval.js';
import { deniedError, type GateTable, policyFor, resolveAfter, resolveBefore } from './gate-policy.js';
import type { LoadContext, LoadResult, ResolveContext, ResolveResult } from './hook-types.js';

type NextResolve = (specifier: string, context?: ResolveContext) => ResolveResult;
type ResolveHook = (specifier: string, context: ResolveContext, next: NextResolve) => ResolveResult;
type NextLoad = (url: string, context?: LoadContext) => LoadResult;
type LoadHook = (url: string, context: LoadContext, next: NextLoad) => LoadResult;
type RegisterHooks = (hooks: { resolve?: ResolveHook; load?: LoadHook }) => { deregister(): void };

const isRequire = (context: { readonly conditions?: readonly string[] }) =>
  context.conditions !== undefined && ArrayPrototypeIncludes(context.conditions, 'require');

/**
 * Registers the gate's hooks on this thread, for ES module imports. A `require()` passes through: these hooks see
 * requires too, but the CommonJS gate (cjs-gate.ts) judges those, with the same rules, in the loader.
 */
export function registerThreadHooks(table: GateTable): void {
  const registerHooks = (nodeModule as unknown as { registerHooks: RegisterHooks }).registerHooks;
  registerHooks({
    resolve(specifier, context, next) {
      if (isRequire(context)) return next(specifier, context);
      const step = resolveBefore(specifier, context.parentURL, table);
      if (step.kind === 'pass') return next(specifier, context);
      if (step.kind === 'done') return step.result;
      const result = next(specifier, context);
      const url = resolveAfter(specifier, result.url, step, table);
      return url === result.url ? result : { ...result, url };
    },
    // Only scanned bytes run: what Node is about to evaluate is checked against the plugin's scan (see loadedDenial).
    load(url, context, next) {
      if (isRequire(context) || !StringPrototypeStartsWith(url, 'file:')) return next(url, context);
      const entry = MapPrototypeGet(table.entries, url);
      const path = entry === undefined ? fileURLToPath(url) : entry.path;
      const policy =
        (entry === undefined ? undefined : MapPrototypeGet(table.policies, entry.root)) ??
        policyFor(path, table.policies);
      if (policy === undefined) return next(url, context);
      if (approvedGoal(path, policy) === undefined) {
        throw deniedError(fileDenial(path, 'module', undefined, policy) ?? '');
      }
      const result = next(url, context);
      const denied = loadedDenial(path, result.format, result.source, policy);
      if (denied !== undefined) throw deniedError(denied);
      return result;
    },
  });
}
