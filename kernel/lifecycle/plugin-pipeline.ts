import type { BootPlan, PlannedPlugin } from '../boot/prepare-plugins.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import { LiveGenerations, type StopErrors } from './live-generations.js';
import type { Generation, ObtainedCode, PluginLifecycle } from './plugin-lifecycle.js';
import { PluginSteps } from './plugin-steps.js';
import { type Outcome, scheduleOnGraph } from './schedule-on-graph.js';
import { Slots } from './slots.js';

/** What the pipeline drives: the table, one generation's steps, and the host's settings. */
export interface PipelineEnvironment {
  readonly table: PluginTable;
  readonly lifecycle: PluginLifecycle;
  /** Plugins in a step (check, import, load, start) at once. */
  readonly concurrency: number;
  readonly required: (name: string) => boolean;
  /** How long a stopping plugin's requests may take to finish (its onStop timeout). */
  readonly drainMs: (generation: Generation) => number;
}

/**
 * Each plugin's pipeline, scheduled on the dependency graph: discover → validate → check code → import → bind →
 * load as soon as its dependencies have loaded, then start as soon as they have started; at most `concurrency`
 * plugins in a step at once. A plugin that fails takes its dependents with it (`skipped`); others carry on. The
 * same steps serve the boot, `load()` and (in AtomicReload) `reload()`.
 */
export class PluginPipeline {
  readonly #env: PipelineEnvironment;
  readonly #live: LiveGenerations;
  readonly #steps: PluginSteps;
  #graph: DependencyGraph | undefined;

  constructor(env: PipelineEnvironment) {
    this.#env = env;
    this.#live = new LiveGenerations(env);
    this.#steps = new PluginSteps({ table: env.table, lifecycle: env.lifecycle, live: this.#live });
  }

  /** The graph of the latest plan. */
  get graph(): DependencyGraph | undefined {
    return this.#graph;
  }

  /** The live runtime of a plugin: what a plugin being loaded wires its dependencies to. */
  get runtimeOf(): (name: string) => PluginRuntime | undefined {
    return this.#steps.runtimeOf;
  }

  /** Makes `next` the live generation of its plugin (a reload's swap); returns the one it replaced. */
  replaceLive(next: Generation): Generation | undefined {
    return this.#live.replace(next);
  }

  /** The plugins that wait on `name`: a timeout error names them. */
  dependentsOf(name: string): readonly string[] {
    return this.#graph?.dependents.get(name) ?? [];
  }

  /** `name` and every plugin with code in that depends on it, directly or not, in load order. */
  /**
   * The packages a reload of `name` need not read again: those of the live plugins it does not affect (its live
   * dependents are read again with it), whose code keeps running as it is.
   */
  unaffectedPackages(name: string): PluginPackage[] {
    return this.#live.packagesExcept(new Set(this.withLiveDependents(name)));
  }

  withLiveDependents(name: string, graph = this.#graph): string[] {
    const found = new Set([name]);
    for (const at of found) for (const dependent of graph?.dependents.get(at) ?? []) found.add(dependent);
    const order = graph?.waves.flat() ?? [];
    return [name, ...order.filter((n) => n !== name && found.has(n) && this.#live.has(n))];
  }

  /**
   * The boot: plans with `prepare` and brings up every plugin it can load. A plugin that needs no other plugin
   * begins loading as soon as discovery hands it over (`onReady`), while discovery reads the other folders.
   */
  async boot(prepare: (onReady: (planned: PlannedPlugin) => void) => Promise<BootPlan>): Promise<BootPlan> {
    const run = this.#run();
    const onReady = (planned: PlannedPlugin) => {
      const { name } = planned.pkg.manifest;
      this.#env.table.add(planned.pkg, this.#env.required(name));
      const code = this.#obtainAhead(planned, run.ahead);
      run.early.set(name, { code, loaded: this.#steps.load(name, planned, code, run.slots) });
    };
    let plan: BootPlan;
    try {
      plan = await prepare(onReady);
    } catch (error) {
      await Promise.all([...run.early.values()].map((early) => early.loaded));
      await this.stopAndUnload([...run.early.keys()]);
      throw error;
    }
    await this.bringUp(plan, undefined, run);
    return plan;
  }

  /** One bring-up's slots: loads and starts, and code checked ahead; and the loads begun during discovery. */
  #run() {
    const early = new Map<string, { code: Promise<ObtainedCode>; loaded: Outcome }>();
    return { slots: new Slots(this.#env.concurrency), ahead: new Slots(this.#env.concurrency), early };
  }

  /** Checks and imports a plugin's code ahead of its turn (it needs no other plugin), a few at a time. */
  #obtainAhead(planned: PlannedPlugin, ahead: Slots): Promise<ObtainedCode> {
    const code = ahead.run(() => this.#env.lifecycle.obtain(planned, this.runtimeOf));
    code.catch(() => undefined); // awaited at its turn
    return code;
  }

  /**
   * Puts a plan in the table and loads, then starts, the plugins it can load among `names` (all when undefined):
   * the boot and `load()`. A plugin outside `names` that one of them needs must be running already.
   */
  async bringUp(plan: BootPlan, names?: ReadonlySet<string>, run = this.#run()): Promise<void> {
    this.#graph = plan.graph;
    const { table, required } = this.#env;
    const { slots, ahead, early } = run;
    const wanted = (name: string) => (names === undefined || names.has(name)) && !early.has(name);
    for (const problem of plan.problems.filter((p) => wanted(p.name) && !this.#live.has(p.name))) {
      if (problem.pkg === undefined) table.addFailed(problem.name, problem.root, problem.phase, problem.error);
      else {
        table.add(problem.pkg, required(problem.name));
        table.fail(problem.name, problem.phase, problem.error, problem.to);
      }
    }
    const order = plan.graph.waves.flat().filter((name) => (wanted(name) || early.has(name)) && plan.plugins.has(name));
    const planned = (name: string) => plan.plugins.get(name) as PlannedPlugin;
    for (const name of order) if (!early.has(name)) table.add(planned(name).pkg, required(name));
    // Checking and importing need no other plugin: each plugin's begins at once (in load order, a few at a time),
    // so that a plugin whose dependencies have loaded finds its code in.
    const codes = new Map(
      order.map((name) => [name, early.get(name)?.code ?? this.#obtainAhead(planned(name), ahead)]),
    );
    const load = (name: string) =>
      this.#steps.load(name, planned(name), codes.get(name) as Promise<ObtainedCode>, slots);
    const begun = new Map([...early].map(([name, { loaded }]) => [name, loaded]));
    const loaded = this.#onGraph(order, load, undefined, begun);
    await Promise.all(loaded.values());
    await this.#releaseUnused(order, codes, plan);
    const started = this.#onGraph(order, (name) => slots.run(() => this.#steps.start(name)), loaded);
    await Promise.all(started.values());
  }

  /** Runs `step` on the graph of the latest plan (see scheduleOnGraph). */
  #onGraph(
    names: readonly string[],
    step: (name: string) => Outcome,
    before?: ReadonlyMap<string, Outcome>,
    begun?: ReadonlyMap<string, Outcome>,
  ): Map<string, Outcome> {
    const edges = this.#graph?.edges ?? new Map<string, readonly string[]>();
    return scheduleOnGraph(names, { edges, step, before, begun, running: this.#running, skip: this.#steps.skip });
  }

  /** Whether a plugin is started with its code in (a dependency outside the current batch must be). */
  readonly #running = (name: string): boolean => this.#live.has(name) && this.#env.table.get(name)?.state === 'started';

  /** Releases the code obtained for plugins that did not load (failed, or skipped for a dependency). */
  async #releaseUnused(order: readonly string[], codes: Map<string, Promise<ObtainedCode>>, plan: BootPlan) {
    const unused = order.filter((name) => !this.#live.has(name));
    await Promise.all(
      unused.map(async (name) => {
        await codes
          .get(name)
          ?.then((code) => code.definition)
          .catch(() => undefined);
        await this.#env.lifecycle.releaseCode((plan.plugins.get(name) as PlannedPlugin).pkg);
      }),
    );
  }

  /** A started plugin whose process the process tier gave up restarting: its generation released, the plugin failed. */
  failStarted(name: string, error: unknown): Promise<void> {
    return this.#steps.failStarted(name, error);
  }

  /** Stops, then unloads, `names` in reverse dependency order, each wave in parallel, past errors. */
  stopAndUnload(names: readonly string[]): Promise<StopErrors> {
    return this.#live.stopAndUnload(names, this.#graph?.edges ?? new Map());
  }
}
