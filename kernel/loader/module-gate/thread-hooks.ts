/**
 * The module gate's hooks for a Node with `module.registerHooks` (22.15+, 24, 26): synchronous, on the thread that
 * imports, reading the gate's own policy map, so an admission is in force at once and an import costs no message.
 * The rules are gate-policy.ts's, shared with the hooks-thread hooks (gate-hooks.ts).
 */
import nodeModule from 'node:module';
import { type GateTable, resolveAfter, resolveBefore } from './gate-policy.js';
import type { ResolveContext, ResolveResult } from './hook-types.js';

type NextResolve = (specifier: string, context?: ResolveContext) => ResolveResult;
type ResolveHook = (specifier: string, context: ResolveContext, next: NextResolve) => ResolveResult;
type RegisterHooks = (hooks: { resolve?: ResolveHook }) => { deregister(): void };

/**
 * Registers the gate's resolve hook on this thread, for ES module imports. A `require()` passes through: these
 * hooks see requires too, but the CommonJS gate (cjs-gate.ts) judges those, with the same rules, in the loader.
 */
export function registerThreadHooks(table: GateTable): void {
  const registerHooks = (nodeModule as unknown as { registerHooks: RegisterHooks }).registerHooks;
  registerHooks({
    resolve(specifier, context, next) {
      if (context.conditions?.includes('require') === true) return next(specifier, context);
      const step = resolveBefore(specifier, context.parentURL, table);
      if (step.kind === 'pass') return next(specifier, context);
      if (step.kind === 'done') return step.result;
      const result = next(specifier, context);
      const url = resolveAfter(specifier, result.url, step, table);
      return url === result.url ? result : { ...result, url };
    },
  });
}
