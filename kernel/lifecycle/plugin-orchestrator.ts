import { setImmediate as yieldToLoads } from 'node:timers/promises';
import PQueue from 'p-queue';
import type { StopReport } from '../boot/boot-report.js';
import { type BootPlan, type PreparedPlugin, type PrepareOptions, preparePlugins } from '../boot/prepare-plugins.js';
import { ModuError } from '../errors/modu-error.js';
import { skippedDependents } from '../graph/dependency-graph.js';
import { planWaves } from '../graph/plan-waves.js';
import { errorReport } from '../runtime/error-report.js';
import type { PluginRecord } from '../runtime/plugin-record.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import type { PluginLifecycle } from './plugin-lifecycle.js';
import type { HookName } from './run-hook.js';

/** What the orchestrator drives: the table, one plugin's steps, and how to plan. */
export interface OrchestratorEnvironment {
  readonly table: PluginTable;
  readonly lifecycle: PluginLifecycle;
  /** Plugins loading or starting at once inside one wave. */
  readonly concurrency: number;
  readonly prepareOptions: () => PrepareOptions;
  readonly timeoutOf: (record: PluginRecord, hook: HookName) => number;
}

type StopErrors = Array<StopReport['errors'][number]>;

/**
 * Moves groups of plugins through their lifecycle in dependency order: a plugin loads (and later starts)
 * as soon as its dependencies have, so the boot follows the dependency graph rather than waiting for the
 * slowest plugin of each wave; at most `concurrency` at once, in wave order. Stopping runs the waves in
 * reverse. A plugin that fails takes its dependents with it (`skipped`); every other plugin carries on.
 */
export class PluginOrchestrator {
  readonly #env: OrchestratorEnvironment;
  readonly #queue: PQueue;
  readonly #staging = new PQueue({ concurrency: 16 });
  #plan: BootPlan | undefined;

  constructor(env: OrchestratorEnvironment) {
    this.#env = env;
    this.#queue = new PQueue({ concurrency: env.concurrency });
  }

  /** The latest plan: the graph and each plugin's prepared inputs. */
  get plan(): BootPlan | undefined {
    return this.#plan;
  }

  /**
   * Discovers, validates and resolves every plugin, then loads and starts all that can. A plugin that needs no other
   * plugin begins loading as soon as discovery has read its folder, while it reads the others.
   */
  async bootAll(): Promise<BootPlan> {
    const early = new Map<string, Promise<boolean>>();
    const onReady = (record: PluginRecord, prepared: PreparedPlugin) => {
      early.set(
        record.name,
        this.#queue.add(() => this.#env.lifecycle.load(record, prepared)),
      );
    };
    let plan: BootPlan;
    try {
      plan = await preparePlugins(this.#env.table, { ...this.#env.prepareOptions(), onReady });
    } catch (error) {
      await Promise.all(early.values());
      await this.stopAndUnload([...early.keys()]);
      throw error;
    }
    this.#plan = plan;
    const order = plan.graph.waves.flat();
    // What failed among the early loads takes its dependents with it, now that the graph names them.
    const loading = new Map(
      [...early].map(([name, loaded]) => [name, loaded.then((ok) => (ok ? undefined : this.#skipDependents(name)))]),
    );
    this.#stageAhead(order.filter((name) => !early.has(name)));
    await this.#afterDependencies(order, 'discovered', (record) => this.#load(record), loading);
    await this.#afterDependencies(order, 'loaded', (record) => this.#start(record));
    return plan;
  }

  /**
   * Reads the plugin folders again, then loads and starts `names` in the new dependency order; a
   * plugin whose dependencies are not running is skipped with the reason.
   */
  async bringUp(names: readonly string[]): Promise<void> {
    const wanted = new Set(names);
    const plan = await preparePlugins(this.#env.table, { ...this.#env.prepareOptions(), only: wanted });
    this.#plan = plan;
    const order = plan.graph.waves.flat().filter((name) => wanted.has(name));
    this.#stageAhead(order);
    await this.#afterDependencies(order, 'discovered', async (record) => {
      // Dependencies brought up here loaded before this one (or failed, skipping it); others must run.
      const waiting = (plan.graph.edges.get(record.name) ?? []).filter(
        (dep) => !wanted.has(dep) && this.#env.table.get(dep)?.state !== 'started',
      );
      if (waiting.length === 0) return this.#load(record);
      const message = `${record.name} is skipped because ${waiting.join(', ')} is not running`;
      const error = new ModuError('MODU_GRAPH_DEPENDENCY_FAILED', message, { details: { dependencies: waiting } });
      this.#env.table.fail(record, 'resolve', error, 'skipped');
      // Its code was staged ahead: dropped, so that a later load reads the folder afresh.
      await this.#env.lifecycle.discard(record);
    });
    await this.#afterDependencies(order, 'loaded', (record) => this.#start(record));
  }

  /** Stops, then unloads, `names` in reverse dependency order, each wave in parallel, past errors. */
  async stopAndUnload(names: readonly string[]): Promise<StopErrors> {
    const errors: StopErrors = [];
    const note = (plugin: string, error: unknown) => errors.push({ plugin, error: errorReport(error) });
    const waves = planWaves(names, this.#plan?.graph.edges ?? new Map()).reverse();
    const records = (wave: readonly string[]) => wave.map((name) => this.#env.table.get(name) as PluginRecord);
    const { lifecycle, timeoutOf } = this.#env;
    for (const wave of waves) {
      await Promise.all(
        records(wave).map(async (record) => {
          const error = await lifecycle.stop(record, timeoutOf(record, 'onStop'));
          if (error !== undefined) note(record.name, error);
        }),
      );
    }
    for (const wave of waves) {
      await Promise.all(
        records(wave).map(async (record) => {
          for (const error of await lifecycle.unload(record)) note(record.name, error);
        }),
      );
    }
    return errors;
  }

  /** `name` and every loaded plugin that depends on it, directly or not. */
  withLoadedDependents(name: string): string[] {
    const dependents = [...skippedDependents([name], this.#plan?.graph.dependents ?? new Map()).keys()];
    return [name, ...dependents.filter((d) => this.#env.table.get(d)?.runtime !== undefined)];
  }

  /** The plugins that wait on `name`: a timeout error names them. */
  dependentsOf(name: string): readonly string[] {
    return this.#plan?.graph.dependents.get(name) ?? [];
  }

  /**
   * Checks, imports and stages the code of `names` (in load order) ahead of their waves, a few at a time: the scans,
   * the file reads, the module hooks' thread and the plugins' own containers then overlap with the hooks of earlier
   * waves, and a plugin's turn only has to wire it to its dependencies. Each
   * step first waits for the event loop's next check phase, so that the plugins ready to load go first.
   */
  #stageAhead(names: readonly string[]): void {
    const { table, lifecycle } = this.#env;
    for (const name of names) {
      const record = table.get(name);
      const prepared = this.#plan?.prepared.get(name);
      if (record === undefined || prepared === undefined) continue;
      lifecycle.admit(record, prepared).catch(() => {}); // awaited again by the import
      void this.#staging.add(async () => {
        // Behind the plugins whose turn has come: their loads continue in promise callbacks, which run first.
        await yieldToLoads();
        if (record.state === 'discovered') await lifecycle.stage(record, prepared).catch(() => undefined);
      });
    }
  }

  /**
   * Runs `step` on each of `names` (in load order) that is still in `state`, once every one of its
   * dependencies among `names` has had its own step: those steps mark the plugins that depend on a failure
   * skipped before their turn comes. The steps in `begun` are under way already (the early loads of a boot).
   */
  async #afterDependencies(
    names: readonly string[],
    state: PluginRecord['state'],
    step: (record: PluginRecord) => Promise<void>,
    begun: ReadonlyMap<string, Promise<void>> = new Map(),
  ): Promise<void> {
    const edges = this.#plan?.graph.edges ?? new Map<string, readonly string[]>();
    const done = new Map(begun);
    for (const name of names) {
      if (done.has(name)) continue;
      const dependencies = (edges.get(name) ?? []).flatMap((dep) => done.get(dep) ?? []);
      const turn = async () => {
        await Promise.all(dependencies);
        await this.#queue.add(async () => {
          const record = this.#env.table.get(name);
          if (record?.state === state) await step(record);
        });
      };
      done.set(name, turn());
    }
    await Promise.all(done.values());
  }

  async #load(record: PluginRecord): Promise<void> {
    const prepared = this.#plan?.prepared.get(record.name);
    if (prepared === undefined) return;
    if (!(await this.#env.lifecycle.load(record, prepared))) await this.#skipDependents(record.name);
  }

  async #start(record: PluginRecord): Promise<void> {
    if (!(await this.#env.lifecycle.start(record))) await this.#skipDependents(record.name);
  }

  /** Marks every plugin depending on a failed one as skipped, unloading those already loaded. */
  async #skipDependents(failed: string): Promise<void> {
    const phase = this.#env.table.get(failed)?.failure?.phase ?? 'load';
    for (const [name, problem] of skippedDependents([failed], this.#plan?.graph.dependents ?? new Map())) {
      const record = this.#env.table.get(name);
      if (record === undefined || record.state === 'failed' || record.state === 'skipped') continue;
      const error = new ModuError(problem.code, problem.message, { details: problem.details });
      if (record.runtime !== undefined) {
        await this.#env.lifecycle.unload(record);
        this.#env.table.fail(record, phase, error, 'skipped');
      } else {
        // Skipped before its staged code is dropped: a staging step queued for it then leaves it alone.
        this.#env.table.fail(record, phase, error, 'skipped');
        await this.#env.lifecycle.discard(record);
      }
    }
  }
}
