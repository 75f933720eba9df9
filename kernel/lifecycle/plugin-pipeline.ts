import type { BootPlan, PlannedPlugin } from '../boot/prepare-plugins.js';
import { ModuError } from '../errors/modu-error.js';
import type { DependencyGraph } from '../graph/dependency-graph.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import type { PluginPhase } from '../runtime/plugin-snapshot.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import { LiveGenerations, type StopErrors } from './live-generations.js';
import type { Generation, ObtainedCode, PluginLifecycle } from './plugin-lifecycle.js';
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

/** Resolves to true when the plugin got through its step, false when it (or a dependency) did not. */
type Outcome = Promise<boolean>;

/**
 * Each plugin's pipeline, scheduled on the dependency graph: discover → validate → check code → import → bind →
 * load as soon as its dependencies have loaded, then start as soon as they have started; at most `concurrency`
 * plugins in a step at once. A plugin that fails takes its dependents with it (`skipped`); others carry on. The
 * same steps serve the boot, `load()` and (in AtomicReload) `reload()`.
 */
export class PluginPipeline {
  readonly #env: PipelineEnvironment;
  readonly #live: LiveGenerations;
  #graph: DependencyGraph | undefined;

  constructor(env: PipelineEnvironment) {
    this.#env = env;
    this.#live = new LiveGenerations(env);
  }

  /** The graph of the latest plan. */
  get graph(): DependencyGraph | undefined {
    return this.#graph;
  }

  /** The live runtime of a plugin: what a plugin being loaded wires its dependencies to. */
  readonly runtimeOf = (name: string): PluginRuntime | undefined => this.#live.get(name)?.runtime;

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
      run.early.set(name, { code, loaded: this.#load(name, planned, code, run.slots) });
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
    const load = (name: string) => this.#load(name, planned(name), codes.get(name) as Promise<ObtainedCode>, slots);
    const begun = new Map([...early].map(([name, { loaded }]) => [name, loaded]));
    const loaded = this.#onGraph(order, load, undefined, begun);
    await Promise.all(loaded.values());
    await this.#releaseUnused(order, codes, plan);
    const started = this.#onGraph(order, (name) => slots.run(() => this.#start(name)), loaded);
    await Promise.all(started.values());
  }

  /**
   * Runs `step` for each of `names` (in load order) once its dependencies among them got through theirs (and
   * through `before`, the previous step); a plugin whose dependency did not is skipped (unloaded first if loaded).
   * The steps in `begun` are under way already (the early loads of a boot).
   */
  #onGraph(
    names: readonly string[],
    step: (name: string) => Outcome,
    before?: Map<string, Outcome>,
    begun: ReadonlyMap<string, Outcome> = new Map(),
  ) {
    const edges = this.#graph?.edges ?? new Map<string, readonly string[]>();
    const done = new Map<string, Outcome>(begun);
    for (const name of names) {
      if (begun.has(name)) continue;
      const turn = async (): Outcome => {
        if (before !== undefined && !(await before.get(name))) return false;
        const deps = (edges.get(name) ?? []).filter((dep) => done.has(dep) || !this.#running(dep));
        for (const dep of deps) {
          const outcome = done.get(dep);
          if (outcome !== undefined && (await outcome)) continue;
          await this.#skip(name, dep, outcome === undefined ? 'is not running' : 'cannot run');
          return false;
        }
        return step(name);
      };
      done.set(name, turn());
    }
    return done;
  }

  /** Whether a plugin is started with its code in (a dependency outside the current batch must be). */
  #running(name: string): boolean {
    return this.#live.has(name) && this.#env.table.get(name)?.state === 'started';
  }

  /** Check code, import, bind, load: the plugin is `loaded`, with routes staged, or failed. */
  async #load(name: string, planned: PlannedPlugin, obtained: Promise<ObtainedCode>, slots: Slots): Outcome {
    const { table, lifecycle } = this.#env;
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
        this.#live.replace(built);
        this.#env.lifecycle.swapIn([built], false);
        table.loaded(name, built.runtime);
        return true;
      } catch (error) {
        await this.#live.drop(name);
        table.fail(name, 'load', error);
        return false;
      }
    });
  }

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

  async #start(name: string): Outcome {
    const { table, lifecycle } = this.#env;
    const live = this.#live.get(name);
    if (live === undefined) return false;
    table.live(name, 'starting');
    try {
      await table.timed(name, 'start', () => lifecycle.runHook(live.runtime, 'onStart'));
    } catch (error) {
      await this.#live.drop(name);
      table.fail(name, 'start', error);
      return false;
    }
    lifecycle.serve(live);
    table.live(name, 'started');
    return true;
  }

  /** Marks `name` skipped because `dependency` cannot run, unloading it first if its code is in. */
  async #skip(name: string, dependency: string, why: string): Promise<void> {
    const { table } = this.#env;
    const message = `${name} is skipped because its dependency ${dependency} ${why}`;
    const error = new ModuError('MODU_GRAPH_DEPENDENCY_FAILED', message, { details: { dependency } });
    const blocker = table.get(dependency);
    const phase: PluginPhase = blocker !== undefined && 'failure' in blocker ? blocker.failure.phase : 'resolve';
    await this.#live.unload(name);
    table.fail(name, phase, error, 'skipped');
  }

  /** A started plugin whose process the process tier gave up restarting: its generation released, the plugin failed. */
  async failStarted(name: string, error: unknown): Promise<void> {
    if (this.#env.table.get(name)?.state !== 'started') return;
    await this.#live.drop(name);
    this.#env.table.fail(name, 'start', error);
  }

  /** Stops, then unloads, `names` in reverse dependency order, each wave in parallel, past errors. */
  stopAndUnload(names: readonly string[]): Promise<StopErrors> {
    return this.#live.stopAndUnload(names, this.#graph?.edges ?? new Map());
  }
}
