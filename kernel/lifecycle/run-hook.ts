import type { HookContext, LifecycleHook, PluginContext } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { contextFacade } from '../facades/context-facade.js';
import { gateDenial } from '../loader/module-gate/module-gate.js';
import { ReflectApply } from '../primordials.js';

/** The lifecycle hooks a plugin may define, in the order a plugin meets them. */
export const hookNames = ['onLoad', 'onStart', 'onStop', 'onUnload'] as const;
export type HookName = (typeof hookNames)[number];

/** Milliseconds each hook may take unless the host or the plugin says otherwise. */
export const defaultHookTimeouts: Readonly<Record<HookName, number>> = {
  onLoad: 10_000,
  onStart: 10_000,
  onStop: 5_000,
  onUnload: 5_000,
};

/** What a hook run needs to know beyond the hook: who it belongs to and whom a timeout blocks. */
export interface HookRun {
  readonly plugin: string;
  readonly hook: HookName;
  readonly timeoutMs: number;
  /** Plugins waiting on this one; a timeout error names them. */
  readonly blocks?: readonly string[];
}

/**
 * Runs one lifecycle hook under its timeout. The hook gets an AbortSignal that is aborted when the
 * time is up; the run then fails at once even if the hook ignores the signal.
 *
 * @throws ModuError `MODU_LIFECYCLE_TIMEOUT` (plugin, phase, time spent, blocked dependents) or
 *   `MODU_LIFECYCLE_HOOK_FAILED` wrapping what the hook threw
 */
export async function runHook(hook: LifecycleHook | undefined, context: PluginContext, run: HookRun): Promise<void> {
  if (hook === undefined) return;
  const started = performance.now();
  // The signal is made when the hook first reads it (most never do), already aborted if the time is up by then.
  let controller: AbortController | undefined;
  let expired: ModuError | undefined;
  const hookContext = contextFacade<HookContext>(context as unknown as Record<string, unknown>, {
    signal() {
      if (controller === undefined) {
        controller = new AbortController();
        if (expired !== undefined) controller.abort(expired);
      }
      return controller.signal;
    },
  });
  // A plain timer, cleared when the hook is done: aborting a timers/promises delay instead would build an
  // AbortError, stack trace included, for every hook of every plugin.
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const spent = Math.round(performance.now() - started);
      const blocks = run.blocks ?? [];
      const blocked = blocks.length > 0 ? `; it blocks ${blocks.join(', ')}` : '';
      expired = new ModuError(
        'MODU_LIFECYCLE_TIMEOUT',
        `Plugin '${run.plugin}' did not finish ${run.hook} within ${run.timeoutMs} ms (stopped after ${spent} ms)${blocked}.`,
        { details: { plugin: run.plugin, phase: run.hook, timeoutMs: run.timeoutMs, spentMs: spent, blocks } },
      );
      controller?.abort(expired);
      reject(expired);
    }, run.timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(() => ReflectApply(hook, undefined, [hookContext])), timeout]);
  } catch (cause) {
    if (ModuError.is(cause) && cause.code === 'MODU_LIFECYCLE_TIMEOUT') throw cause;
    const denial = gateDenial(cause);
    if (denial !== undefined) throw denial;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ModuError('MODU_LIFECYCLE_HOOK_FAILED', `Plugin '${run.plugin}' failed in ${run.hook}: ${message}`, {
      details: { plugin: run.plugin, phase: run.hook },
      cause,
    });
  } finally {
    clearTimeout(timer);
  }
}
