import type { PlannedPlugin } from '../boot/prepare-plugins.js';
import { ModuError } from '../errors/modu-error.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import type { PluginPhase } from '../runtime/plugin-snapshot.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import type { LiveGenerations } from './live-generations.js';
import type { ObtainedCode, PluginLifecycle } from './plugin-lifecycle.js';
import type { Outcome } from './schedule-on-graph.js';
import type { Slots } from './slots.js';

/** What the steps drive: the table, one generation's steps, and the live generations. */
export interface StepEnvironment {
  readonly table: PluginTable;
  readonly lifecycle: PluginLifecycle;
  readonly live: LiveGenerations;
}

/**
 * One plugin's steps after its code is obtained, each moving it through the table: load (bind, build, stage
 * routes), start, and skip (a dependency cannot run). A failed step leaves nothing of the plugin live.
 */
export class PluginSteps {
  readonly #env: StepEnvironment;

  constructor(env: StepEnvironment) {
    this.#env = env;
  }

  /** The live runtime of a plugin: what a plugin being loaded wires its dependencies to. */
  readonly runtimeOf = (name: string): PluginRuntime | undefined => this.#env.live.get(name)?.runtime;

  /** Check code, import, bind, load: the plugin is `loaded`, with routes staged, or failed. */
  async load(name: string, planned: PlannedPlugin, obtained: Promise<ObtainedCode>, slots: Slots): Outcome {
    const { table, lifecycle, live } = this.#env;
    let code: ObtainedCode;
    try {
      code = await obtained;
    } catch (error) {
      table.fail(name, 'validate', error);
      return false;
    }
    return slots.run(async () => {
      table.idle(name, 'loading');
      try {
        const built = await table.timed(name, 'load', () => lifecycle.build(planned, code, this.runtimeOf, []));
        live.replace(built);
        lifecycle.swapIn([built], false);
        table.loaded(name, built.runtime);
        return true;
      } catch (error) {
        await live.drop(name);
        table.fail(name, 'load', error);
        return false;
      }
    });
  }

  /** Runs onStart and serves the plugin's routes: `started`, or failed with its generation released. */
  async start(name: string): Outcome {
    const { table, lifecycle, live } = this.#env;
    const generation = live.get(name);
    if (generation === undefined) return false;
    table.live(name, 'starting');
    try {
      await table.timed(name, 'start', () => lifecycle.runHook(generation.runtime, 'onStart'));
    } catch (error) {
      await live.drop(name);
      table.fail(name, 'start', error);
      return false;
    }
    lifecycle.serve(generation);
    table.live(name, 'started');
    return true;
  }

  /** Marks `name` skipped because `dependency` cannot run, unloading it first if its code is in. */
  readonly skip = async (name: string, dependency: string, why: string): Promise<void> => {
    const { table, live } = this.#env;
    const message = `${name} is skipped because its dependency ${dependency} ${why}.`;
    const error = new ModuError('MODU_GRAPH_DEPENDENCY_FAILED', message, { details: { dependency } });
    const blocker = table.get(dependency);
    const phase: PluginPhase = blocker !== undefined && 'failure' in blocker ? blocker.failure.phase : 'resolve';
    await live.unload(name);
    table.fail(name, phase, error, 'skipped');
  };

  /** A started plugin whose process the process tier gave up restarting: its generation released, the plugin failed. */
  async failStarted(name: string, error: unknown): Promise<void> {
    if (this.#env.table.get(name)?.state !== 'started') return;
    await this.#env.live.drop(name);
    this.#env.table.fail(name, 'start', error);
  }
}
