import { createHash } from 'node:crypto';
import type { PluginContext, PluginDefinition } from '../authoring/plugin-definition.js';
import type { PreparedPlugin } from '../boot/prepare-plugins.js';
import type { PluginHttp } from '../http/plugin-http.js';
import type { PluginIsolation } from '../isolation/plugin-isolation.js';
import {
  importPlugin,
  type LoadEnvironment,
  type LoadedPlugin,
  loadPlugin,
  type StagedPlugin,
  stagePlugin,
} from '../loader/load-plugin.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRecord } from '../runtime/plugin-record.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import type { ScanReport } from '../scanner/scan-types.js';
import { type HookName, runHook } from './run-hook.js';

/** What the lifecycle needs beyond loading: the table, the HTTP layer, the code check, and each plugin's inputs. */
export interface LifecycleEnvironment extends LoadEnvironment {
  readonly table: PluginTable;
  readonly http: PluginHttp;
  /** Scans a plugin's code and checks its capabilities; throws to reject the plugin. */
  readonly checkCode: (pkg: PluginPackage, granted: readonly string[]) => Promise<ScanReport>;
  readonly timeoutOf: (record: PluginRecord, hook: HookName) => number;
  readonly blockedBy: (name: string) => readonly string[];
  /** The process tier: isolated plugins' code runs in their own processes, never imported here. */
  readonly isolation: PluginIsolation;
}

/**
 * The four steps of one plugin's life, each a state change on the table: load (code, container,
 * `onLoad`, routes and guards), start (`onStart`, routes on), stop (routes off, drain, `onStop`) and unload
 * (`onUnload`, routes, container, ownership and code released). A step that fails leaves nothing
 * of the plugin claimed and marks it failed with the phase and the error.
 */
export class PluginLifecycle {
  readonly #env: LifecycleEnvironment;
  readonly #loaded = new Map<string, LoadedPlugin>();
  /**
   * Code checked, imported and staged ahead of the load waves, awaiting its plugin's turn; by record, which each
   * discovery makes afresh, so that code read for one discovery is never used for a later one.
   */
  readonly #imports = new WeakMap<PluginRecord, { checked: Promise<unknown>; staged: Promise<StagedPlugin> }>();
  /** Admissions to the module gate awaiting their plugin's import, by record likewise. */
  readonly #admissions = new WeakMap<PluginRecord, Promise<void>>();

  constructor(env: LifecycleEnvironment) {
    this.#env = env;
  }

  #hook(record: PluginRecord, hook: HookName, context: PluginContext) {
    const definition = record.runtime?.definition;
    const run = {
      plugin: record.name,
      hook,
      timeoutMs: this.#env.timeoutOf(record, hook),
      blocks: this.#env.blockedBy(record.name),
    };
    return runHook(definition?.[hook], context, run);
  }

  /**
   * Admits a plugin's folder to the module gate with its grants, once, ahead of its check and import: admission runs
   * no code, and the gate sends the admissions of one tick (a whole boot) to its hooks thread as one message.
   */
  admit(record: PluginRecord, prepared: PreparedPlugin): Promise<void> {
    let admitted = this.#admissions.get(record);
    if (admitted === undefined) {
      admitted = this.#env.code.admit({ name: record.name, root: record.root, granted: prepared.granted });
      this.#admissions.set(record, admitted);
    }
    return admitted;
  }

  /**
   * Checks a plugin's code (scan and capabilities), imports it and stages it (its own services bound in its own
   * container, see stagePlugin), ahead of its load: none of this needs another plugin, so the boot overlaps it with
   * the waves, and `load` picks the result up. The code is imported only once its check passed. The code's content
   * hash (with its grants) is its generation: an ES module whose files changed is imported afresh, unchanged code
   * keeps its module instance (Node never frees ES modules, so importing unchanged code again would only grow the
   * heap).
   */
  stage(record: PluginRecord, prepared: PreparedPlugin): Promise<StagedPlugin> {
    return this.#checkAndStage(record, prepared).staged;
  }

  #checkAndStage(record: PluginRecord, prepared: PreparedPlugin) {
    const known = this.#imports.get(record);
    if (known !== undefined) return known;
    const pkg = record.pkg as PluginPackage;
    const checked = this.#env.table.timed(record, 'validate', async () => {
      const report = await this.#env.checkCode(pkg, prepared.granted);
      // Grants are part of the version: a module evaluated under other grants is not reused.
      const generation = createHash('sha256')
        .update(`${report.contentHash}\n${prepared.granted.join(',')}`)
        .digest('hex')
        .slice(0, 16);
      return { generation, scan: { approved: report.approved ?? {}, contentHash: report.contentHash } };
    });
    const staged = checked.then(async ({ generation, scan }) => {
      const isolation = this.#env.isolation;
      let definition: PluginDefinition;
      if (isolation.tierOf(record.name) === 'process') {
        definition = await isolation.definitionOf(record, prepared, { generation, scan });
      } else {
        await this.admit(record, prepared);
        definition = await importPlugin({ pkg, generation }, this.#env.code);
      }
      return stagePlugin({ pkg, config: prepared.config, granted: prepared.granted }, definition, this.#env);
    });
    // Both are observed when the plugin's turn comes, or dropped with `discard`.
    checked.catch(() => {});
    staged.catch(() => {});
    const entry = { checked, staged };
    this.#imports.set(record, entry);
    return entry;
  }

  /** Drops the code imported and staged for a plugin that will not load after all (a dependency failed). */
  async discard(record: PluginRecord): Promise<void> {
    const staged = this.#imports.get(record)?.staged;
    if (!this.#forget(record)) return;
    await staged?.then(
      (plugin) => plugin.container.dispose(),
      () => undefined,
    );
    await this.#env.isolation.end(record);
    await this.#env.code.release(record.root);
  }

  /** Forgets the admission and the code staged ahead for a plugin; true when there was any. */
  #forget(record: PluginRecord): boolean {
    const admitted = this.#admissions.delete(record);
    return this.#imports.delete(record) || admitted;
  }

  /** Loads a plugin; resolves to false (plugin marked failed) when any part of loading fails. */
  async load(record: PluginRecord, prepared: PreparedPlugin): Promise<boolean> {
    const { table, http } = this.#env;
    const pkg = record.pkg;
    if (pkg === undefined) return false;
    const code = this.#checkAndStage(record, prepared);
    try {
      await code.checked;
    } catch (error) {
      await this.discard(record);
      table.fail(record, 'validate', error);
      return false;
    }
    table.transition(record, 'loading');
    try {
      await table.timed(record, 'load', async () => {
        const staged = await code.staged;
        this.#forget(record);
        const loaded = await loadPlugin(staged, this.#env);
        record.runtime = loaded.runtime;
        this.#loaded.set(record.name, loaded);
        await this.#env.isolation.load(record, loaded.runtime, this.#env.runtimeOf);
        await this.#hook(record, 'onLoad', loaded.runtime.context);
        await http.mount(loaded.runtime);
      });
    } catch (error) {
      this.#forget(record);
      await this.#release(record);
      table.fail(record, 'load', error);
      return false;
    }
    table.transition(record, 'loaded');
    return true;
  }

  /** Runs `onStart` and turns the plugin's routes on; false (plugin failed and released) on error. */
  async start(record: PluginRecord): Promise<boolean> {
    const { table, http } = this.#env;
    const runtime = record.runtime;
    if (runtime === undefined) return false;
    table.transition(record, 'starting');
    try {
      await table.timed(record, 'start', () => this.#hook(record, 'onStart', runtime.context));
    } catch (error) {
      await this.#release(record);
      table.fail(record, 'start', error);
      return false;
    }
    http.activate(record.name);
    this.#env.isolation.serving(record);
    table.transition(record, 'started');
    return true;
  }

  /** Turns routes off, waits for requests in flight, runs `onStop`; resolves to the error, if any. */
  async stop(record: PluginRecord, drainMs: number): Promise<unknown> {
    const { table, http } = this.#env;
    const runtime = record.runtime;
    if (runtime === undefined || record.state !== 'started') return undefined;
    table.transition(record, 'stopping');
    http.deactivate(record.name);
    let failure: unknown;
    await table.timed(record, 'stop', async () => {
      await http.drain(record.name, drainMs);
      await this.#hook(record, 'onStop', runtime.context).catch((error: unknown) => {
        failure = error;
      });
    });
    table.transition(record, 'stopped');
    return failure;
  }

  /** Runs `onUnload` and releases everything the plugin holds; resolves to the errors met. */
  async unload(record: PluginRecord): Promise<unknown[]> {
    const { table } = this.#env;
    const runtime = record.runtime;
    if (runtime === undefined) return [];
    table.transition(record, 'unloading');
    const errors: unknown[] = [];
    await table.timed(record, 'unload', async () => {
      await this.#hook(record, 'onUnload', runtime.context).catch((error: unknown) => errors.push(error));
      errors.push(...(await this.#release(record)));
    });
    table.transition(record, 'unloaded');
    return errors;
  }

  /** Removes routes, disposes the container, releases tokens and code: everything, whatever fails. */
  async #release(record: PluginRecord): Promise<unknown[]> {
    const { http, ownership, code } = this.#env;
    const errors: unknown[] = [];
    const attempt = async (step: () => unknown) => {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    };
    await attempt(() => http.unmount(record.name));
    await attempt(() => this.#env.isolation.end(record));
    const loaded = this.#loaded.get(record.name);
    this.#loaded.delete(record.name);
    if (loaded) errors.push(...(await loaded.dispose()));
    await attempt(() => ownership.release(record.name));
    await attempt(() => code.release(record.root));
    record.runtime = undefined;
    return errors;
  }
}
