import { hash } from 'node:crypto';
import type { PluginDefinition } from '../authoring/plugin-definition.js';
import type { PlannedPlugin } from '../boot/prepare-plugins.js';
import type { PluginHttp, StagedMount } from '../http/plugin-http.js';
import type { PluginIsolation } from '../isolation/plugin-isolation.js';
import { importPlugin, type LoadEnvironment, loadPlugin, stagePlugin } from '../loader/load-plugin.js';
import type { PluginManifest } from '../manifest/manifest-schema.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import type { ScanReport } from '../scanner/scan-types.js';
import { type HookName, runHook } from './run-hook.js';

/** What the lifecycle needs beyond loading: the HTTP layer, the code check, and each plugin's timeouts. */
export interface LifecycleEnvironment extends LoadEnvironment {
  readonly http: PluginHttp;
  /** Scans a plugin's code and checks its capabilities; throws to reject the plugin. */
  readonly checkCode: (pkg: PluginPackage, granted: readonly string[]) => Promise<ScanReport>;
  readonly timeoutOf: (name: string, manifest: PluginManifest | undefined, hook: HookName) => number;
  readonly blockedBy: (name: string) => readonly string[];
  /** The process tier: an isolated plugin's code runs in a process of its own, never imported here. */
  readonly isolation: PluginIsolation;
}

/**
 * One generation of a plugin: one reading of its folder, loaded. Its services live in its own container, its
 * routes and guards are staged until swapped in; a reload builds a new generation beside the live one.
 */
export interface Generation {
  readonly name: string;
  readonly pkg: PluginPackage;
  readonly runtime: PluginRuntime;
  readonly mount: StagedMount;
  /** Disposes its container's instances and releases its tokens; resolves to the errors met. */
  readonly dispose: () => Promise<unknown[]>;
}

/**
 * A plugin's checked code: its generation, and its definition being obtained (import errors surface when the
 * load awaits it, in the load phase).
 */
export interface ObtainedCode extends CheckedCode {
  readonly definition: Promise<PluginDefinition>;
}

/** A plugin's code once its scan passed: its generation, and the files the scan approved (what may load). */
export interface CheckedCode {
  readonly generation: string;
  readonly scan: Pick<ScanReport, 'approved' | 'contentHash'>;
}

/** The runtime a generation being built wires each dependency to: the live one, or one staged with it. */
export type RuntimeView = (name: string) => PluginRuntime | undefined;

/**
 * The steps of one plugin generation's life, each undone on failure: check code, obtain definition, bind, load
 * (`onLoad`, routes staged), start (`onStart`), retire (routes off, drain, `onStop`), unload (`onUnload`) and
 * release. Scheduling and states are the pipeline's; this class never touches the table.
 */
export class PluginLifecycle {
  readonly #env: LifecycleEnvironment;

  constructor(env: LifecycleEnvironment) {
    this.#env = env;
  }

  /** Every hook of every plugin runs here: under its timeout, naming whom a timeout blocks. */
  runHook(runtime: PluginRuntime, hook: HookName): Promise<void> {
    const run = {
      plugin: runtime.name,
      hook,
      timeoutMs: this.#env.timeoutOf(runtime.name, runtime.manifest, hook),
      blocks: this.#env.blockedBy(runtime.name),
    };
    return runHook(runtime.definition[hook], runtime.context, run);
  }

  /**
   * Scans the plugin's code and checks its capabilities; resolves to its generation: the content hash (with the
   * grants). An ES module whose files changed is imported afresh, unchanged code keeps its module instance (Node
   * never frees ES modules, so importing unchanged code again would only grow the heap).
   */
  async checkCode({ pkg, prepared }: PlannedPlugin): Promise<CheckedCode> {
    const report = await this.#env.checkCode(pkg, prepared.granted);
    const generation = hash('sha256', `${report.contentHash}${prepared.granted.join('\n')}`, 'hex');
    return { generation, scan: { approved: report.approved ?? {}, contentHash: report.contentHash } };
  }

  /**
   * Obtains a plugin's definition from its checked package: admits its folder to the module gate with its grants
   * and imports its entry as `generation` or, for a plugin of the process tier, starts its process, which does so. `replacing` is true when a live generation of the same folder runs
   * (a reload): its CommonJS modules are evicted first, so that require() reads the files again.
   */
  async obtainDefinition(planned: PlannedPlugin, checked: CheckedCode, replacing: boolean): Promise<PluginDefinition> {
    const { pkg, prepared } = planned;
    const { code, isolation } = this.#env;
    if (isolation.tierOf(pkg.manifest.name) === 'process') return isolation.definitionOf(planned, checked);
    const { generation } = checked;
    if (replacing) await code.release(pkg.root);
    await code.admit({ name: pkg.manifest.name, root: pkg.root, granted: prepared.granted });
    return importPlugin({ pkg, generation }, code);
  }

  /** Checks a plugin's code and obtains its definition: the steps of a plugin that need no other plugin. */
  async obtain(planned: PlannedPlugin, view: RuntimeView): Promise<ObtainedCode> {
    const checked = await this.checkCode(planned);
    const replacing = view(planned.pkg.manifest.name)?.root === planned.pkg.root;
    const definition = this.obtainDefinition(planned, checked, replacing);
    definition.catch(() => undefined); // awaited by build, or dropped with a plugin that is skipped
    return { ...checked, definition };
  }

  /**
   * Builds a generation from obtained code: its own services bound, its dependencies wired through `view`,
   * `onLoad` run, and its routes and guards staged (beside those in `alongside`). Nothing of it is in service;
   * on failure nothing of it is left.
   */
  async build(planned: PlannedPlugin, code: ObtainedCode, view: RuntimeView, alongside: readonly StagedMount[]) {
    const { pkg, prepared } = planned;
    const definition = await code.definition;
    const { isolation } = this.#env;
    const request = { pkg, config: prepared.config, granted: prepared.granted };
    const env = { ...this.#env, runtimeOf: view };
    let loaded: Awaited<ReturnType<typeof loadPlugin>>;
    try {
      loaded = await loadPlugin(await stagePlugin(request, definition, env), env);
    } catch (error) {
      await isolation.end(definition);
      throw error;
    }
    const { runtime } = loaded;
    try {
      await isolation.load(runtime, view);
      await this.runHook(runtime, 'onLoad');
      const mount = await this.#env.http.stage(runtime, alongside);
      return { name: runtime.name, pkg, runtime, mount, dispose: loaded.dispose } satisfies Generation;
    } catch (error) {
      await loaded.dispose();
      await isolation.end(definition);
      throw error;
    }
  }

  /** Takes a plugin folder's grants back from the module gate (and evicts its CommonJS modules): code that never went live. */
  async releaseCode(pkg: PluginPackage): Promise<void> {
    await this.#env.isolation.endUnloaded(pkg.manifest.name);
    await this.#env.code.release(pkg.root);
  }

  /** Puts built generations' routes and guards in service in one step (see PluginHttp.swap). */
  swapIn(generations: readonly Generation[], active: boolean): void {
    this.#env.http.swap(
      generations.map((generation) => generation.mount),
      active,
    );
    if (active) for (const generation of generations) this.#env.isolation.serving(generation.runtime);
  }

  /** Turns a started generation's routes on (a process-tier generation's process is then restarted on a crash). */
  serve(generation: Generation): void {
    generation.mount.plugin.active = true;
    this.#env.isolation.serving(generation.runtime);
  }

  /** Turns a live generation's routes off, waits for its requests in flight, runs `onStop`; resolves to its error. */
  async retire(generation: Generation, drainMs: number): Promise<unknown> {
    generation.mount.plugin.active = false;
    await generation.mount.plugin.drain(drainMs);
    return this.runHook(generation.runtime, 'onStop').then(
      () => undefined,
      (error: unknown) => error,
    );
  }

  /**
   * Runs `onUnload` (when `hook`) and releases everything the generation holds: routes (only while they are its
   * own), container, tokens and, with `releaseCode`, its folder's code. Resolves to the errors met.
   */
  async unload(generation: Generation, options: { hook: boolean; releaseCode: boolean }): Promise<unknown[]> {
    const { http, code } = this.#env;
    const errors: unknown[] = [];
    const attempt = async (step: () => unknown) => {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    };
    if (options.hook) await attempt(() => this.runHook(generation.runtime, 'onUnload'));
    await attempt(() => http.retire(generation.mount));
    errors.push(...(await generation.dispose()));
    await attempt(() => this.#env.isolation.end(generation.runtime.definition));
    if (options.releaseCode) await attempt(() => code.release(generation.pkg.root));
    return errors;
  }
}
