import type { StopReport } from '../boot/boot-report.js';
import type { BootPlan, PlannedPlugin } from '../boot/prepare-plugins.js';
import { ModuError } from '../errors/modu-error.js';
import { errorReport } from '../runtime/error-report.js';
import type { PluginPhase } from '../runtime/plugin-snapshot.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import type { Generation, PluginLifecycle } from './plugin-lifecycle.js';
import type { PluginPipeline } from './plugin-pipeline.js';

/** What an atomic reload works with. */
export interface ReloadEnvironment {
  readonly table: PluginTable;
  readonly lifecycle: PluginLifecycle;
  readonly pipeline: PluginPipeline;
  readonly drainMs: (generation: Generation) => number;
}

/** A step of the new generations that failed: which plugin, in which phase. */
class StepFailure {
  constructor(
    readonly plugin: string,
    readonly phase: PluginPhase,
    readonly error: unknown,
  ) {}
}

function failed(reloaded: string, step: StepFailure): ModuError {
  const cause = ModuError.is(step.error) ? step.error.message : String(step.error);
  return new ModuError(
    'MODU_LIFECYCLE_RELOAD_FAILED',
    `Reload of ${reloaded} failed in ${step.plugin} (${step.phase}); the previous generation keeps serving: ${cause}`,
    { details: { plugin: reloaded, failed: step.plugin, phase: step.phase, error: errorReport(step.error) }, cause },
  );
}

/** Runs one step of one plugin's new generation; a failure names the plugin and the phase. */
async function step<T>(plugin: string, phase: PluginPhase, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new StepFailure(plugin, phase, error);
  }
}

/**
 * Builds and starts new generations of `names` (a plugin and its live dependents, in load order) beside the live
 * ones, each dependent wired to the new generations before it; then swaps them all in at once (services, routes,
 * guards) and retires the old generations (drain, `onStop`, `onUnload`). If any new generation fails, the new ones
 * are undone and the old ones keep serving, untouched. Resolves to the old generations' stop errors.
 *
 * @throws ModuError `MODU_LIFECYCLE_RELOAD_FAILED` naming the plugin and phase that failed, with the cause
 */
export async function reloadAtomically(env: ReloadEnvironment, plan: BootPlan, names: readonly string[]) {
  const { table, lifecycle, pipeline } = env;
  const staged = new Map<string, Generation>();
  const started: Generation[] = [];
  const view = (name: string) => staged.get(name)?.runtime ?? pipeline.runtimeOf(name);
  try {
    for (const name of names) {
      const planned = await step(name, 'validate', async () => plannedOrProblem(plan, name));
      const code = await step(name, 'validate', () => lifecycle.obtain(planned, view));
      const mounts = [...staged.values()].map((g) => g.mount);
      const built = await step(name, 'load', () =>
        table.timed(name, 'load', () => lifecycle.build(planned, code, view, mounts)),
      );
      staged.set(name, built);
    }
    for (const next of staged.values()) {
      await step(next.name, 'start', () =>
        table.timed(next.name, 'start', () => lifecycle.runHook(next.runtime, 'onStart')),
      );
      started.push(next);
    }
    await step(names[0] ?? '', 'start', async () => lifecycle.swapIn([...staged.values()], true));
  } catch (error) {
    await undo(env, started, [...staged.values()]);
    throw failed(names[0] ?? '', error instanceof StepFailure ? error : new StepFailure(names[0] ?? '', 'load', error));
  }
  const retired: Generation[] = [];
  for (const next of staged.values()) {
    table.swap(next.name, next.runtime);
    const old = pipeline.replaceLive(next);
    if (old !== undefined) retired.push(old);
  }
  return retire(env, retired.reverse(), staged);
}

/** The plugin as the plan has it, or its problem (a bad manifest, a missing dependency) as the error. */
function plannedOrProblem(plan: BootPlan, name: string): PlannedPlugin {
  const planned = plan.plugins.get(name);
  if (planned !== undefined) return planned;
  const problem = plan.problems.find((p) => p.name === name);
  throw (
    problem?.error ??
    new ModuError('MODU_LOADER_PLUGIN_NOT_FOUND', `No plugin named ${name} is in the plugin folders any more.`, {
      details: { plugin: name },
    })
  );
}

/** Undoes new generations that will not go in service: `onStop` for those started, `onUnload` and release for all. */
async function undo(env: ReloadEnvironment, started: Generation[], built: Generation[]): Promise<void> {
  for (const generation of started.reverse()) await env.lifecycle.retire(generation, 0);
  for (const generation of built.reverse()) await env.lifecycle.unload(generation, { hook: true, releaseCode: false });
}

/** Retires replaced generations, dependents first; their code stays admitted when the new one shares its folder. */
async function retire(env: ReloadEnvironment, old: Generation[], next: ReadonlyMap<string, Generation>) {
  const errors: Array<StopReport['errors'][number]> = [];
  for (const generation of old) {
    const stopError = await env.lifecycle.retire(generation, env.drainMs(generation));
    const releaseCode = next.get(generation.name)?.pkg.root !== generation.pkg.root;
    const unloadErrors = await env.lifecycle.unload(generation, { hook: true, releaseCode });
    for (const error of [stopError, ...unloadErrors].filter((e) => e !== undefined)) {
      errors.push({ plugin: generation.name, error: errorReport(error) });
    }
  }
  return errors;
}
