import { pathToFileURL } from 'node:url';
import { Container } from 'inversify';
import PQueue from 'p-queue';
import { pino } from 'pino';
import type { Registry } from 'prom-client';
import type { Logger } from './authoring/plugin-definition.js';
import type { BootReport, StopReport } from './boot/boot-report.js';
import { criticalPath } from './boot/critical-path.js';
import { type BootPlan, type PrepareOptions, preparePlugins } from './boot/prepare-plugins.js';
import { type HostConfig, hostConfigSchema } from './config/host-config-schema.js';
import { ServiceOwnership } from './container/service-ownership.js';
import { ModuError } from './errors/modu-error.js';
import { skippedDependents } from './graph/dependency-graph.js';
import { planWaves } from './graph/plan-waves.js';
import type { KernelOptions } from './kernel-options.js';
import type { HttpMount } from './lifecycle/http-mount.js';
import { PluginLifecycle } from './lifecycle/plugin-lifecycle.js';
import { defaultHookTimeouts, type HookName } from './lifecycle/run-hook.js';
import type { CodeLoader } from './loader/code-loader.js';
import { createKernelMetrics } from './metrics/kernel-metrics.js';
import { errorReport } from './runtime/error-report.js';
import { type PluginRecord, snapshotOf } from './runtime/plugin-record.js';
import type { PluginSnapshot } from './runtime/plugin-snapshot.js';
import { type KernelEvents, PluginTable } from './runtime/plugin-table.js';
import { validate } from './validation/validate.js';
import { KERNEL_VERSION } from './version.js';

/** A running plugin host: see {@link createKernel}. */
export interface Kernel {
  /** Discovers, validates, resolves, loads and starts every plugin. @throws ModuError `MODU_KERNEL_REQUIRED_FAILED` */
  start(): Promise<BootReport>;
  /** Stops (`onStop`) and unloads (`onUnload`) every plugin in reverse dependency order, past errors. */
  stop(): Promise<StopReport>;
  /** Loads and starts one plugin (new on disk, or unloaded, failed or skipped before); its dependencies must run. */
  load(name: string): Promise<PluginSnapshot>;
  /** Stops and unloads a plugin and, first, every loaded plugin that depends on it; returns their snapshots. */
  unload(name: string): Promise<PluginSnapshot[]>;
  /**
   * Replaces a plugin's code without a restart: drains its requests, stops and unloads its dependents
   * and it (reverse order), reads its folder again, then loads and starts it and its dependents.
   */
  reload(name: string): Promise<PluginSnapshot[]>;
  /** Snapshots of every plugin, sorted by name. */
  snapshot(): PluginSnapshot[];
  /** The kernel's Prometheus registry: plugin states, phase times, and the HTTP layer's metrics. */
  readonly metrics: Registry;
  on<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void;
  off<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void;
}

function defaultLogger(env: Readonly<Record<string, string | undefined>>): Logger {
  return pino({ level: env.MODU_LOG_LEVEL ?? 'info' }, pino.destination(2)) as unknown as Logger;
}

class ModuKernel implements Kernel {
  readonly #options: KernelOptions;
  readonly #config: HostConfig;
  readonly #env: Readonly<Record<string, string | undefined>>;
  readonly #logger: Logger;
  readonly #table = new PluginTable();
  readonly metrics: Registry;
  readonly #lifecycle: PluginLifecycle;
  readonly #queue: PQueue;
  /** start, stop, load, unload and reload run one at a time. */
  readonly #operations = new PQueue({ concurrency: 1 });
  #plan: BootPlan | undefined;

  constructor(options: KernelOptions, http: HttpMount, code: CodeLoader) {
    const { logger, env, source, http: _http, code: _code, ...config } = options;

    this.#options = options;
    this.#config = validate<HostConfig>(
      hostConfigSchema,
      config,
      { file: source ?? 'createKernel options' },
      'MODU_CONFIG_INVALID',
    );
    this.#env = env ?? process.env;
    this.#logger = logger ?? defaultLogger(this.#env);
    this.#queue = new PQueue({ concurrency: this.#config.concurrency ?? 8 });
    const metrics = createKernelMetrics(() => this.#table.snapshot());
    this.metrics = metrics.registry;
    this.#table.events.on('state', metrics.onStateChange);
    this.#lifecycle = new PluginLifecycle({
      table: this.#table,
      http,
      code,
      logger: this.#logger,
      rootContainer: new Container(),
      ownership: new ServiceOwnership(),
      runtimeOf: (name) => this.#table.get(name)?.runtime,
      timeoutOf: (record, hook) => this.#timeoutOf(record, hook),
      blockedBy: (name) => this.#plan?.graph.dependents.get(name) ?? [],
    });
  }

  #timeoutOf(record: PluginRecord, hook: HookName): number {
    const host = this.#config.plugins?.[record.name]?.timeouts?.[hook];
    return host ?? record.pkg?.manifest.timeouts?.[hook] ?? this.#config.timeouts?.[hook] ?? defaultHookTimeouts[hook];
  }

  on<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void {
    this.#table.events.on(event, listener as never);
  }

  off<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void {
    this.#table.events.off(event, listener as never);
  }

  #prepareOptions(): PrepareOptions {
    return {
      pluginDirs: this.#options.pluginDirs,
      config: this.#config,
      env: this.#env,
      source: this.#options.source ?? 'createKernel options',
      kernelVersion: KERNEL_VERSION,
      checkCode: async () => {},
    };
  }

  snapshot(): PluginSnapshot[] {
    return this.#table.snapshot();
  }

  start(): Promise<BootReport> {
    return this.#operations.add(() => this.#boot());
  }

  async #boot(): Promise<BootReport> {
    const started = performance.now();
    const plan = await preparePlugins(this.#table, this.#prepareOptions());
    this.#plan = plan;
    for (const wave of plan.graph.waves) await this.#eachReady(wave, 'discovered', (r) => this.#load(r));
    for (const wave of plan.graph.waves) await this.#eachReady(wave, 'loaded', (r) => this.#start(r));
    const report = this.#bootReport(plan, performance.now() - started);
    const failedRequired = report.plugins.filter((p) => p.required && p.state !== 'started');
    if (failedRequired.length > 0) {
      await this.#shutdown();
      throw new ModuError(
        'MODU_KERNEL_REQUIRED_FAILED',
        `required plugins did not start: ${failedRequired.map((p) => `${p.name} (${p.failure?.error.message ?? p.state})`).join('; ')}`,
        { details: { plugins: failedRequired } },
      );
    }
    this.#logger.info(
      { durationMs: Math.round(report.durationMs), plugins: report.plugins.length, ok: report.ok },
      'modu started',
    );
    return report;
  }

  async #eachReady(names: readonly string[], state: PluginRecord['state'], step: (r: PluginRecord) => Promise<void>) {
    const ready = names.map((name) => this.#table.get(name)).filter((r): r is PluginRecord => r?.state === state);
    await this.#queue.addAll(ready.map((record) => () => step(record)));
  }

  async #load(record: PluginRecord): Promise<void> {
    const prepared = this.#plan?.prepared.get(record.name);
    if (prepared === undefined) return;
    if (!(await this.#lifecycle.load(record, prepared.config, prepared.granted))) await this.#skipDependents(record);
  }

  async #start(record: PluginRecord): Promise<void> {
    if (!(await this.#lifecycle.start(record))) await this.#skipDependents(record);
  }

  /** Marks every plugin depending on a failed one as skipped, unloading those already loaded. */
  async #skipDependents(failed: PluginRecord): Promise<void> {
    const dependents = this.#plan?.graph.dependents ?? new Map();
    for (const [name, problem] of skippedDependents([failed.name], dependents)) {
      const record = this.#table.get(name);
      if (record === undefined || record.state === 'failed' || record.state === 'skipped') continue;
      if (record.runtime !== undefined) await this.#lifecycle.unload(record);
      const error = new ModuError(problem.code, problem.message, { details: problem.details });
      this.#table.fail(
        record,
        failed.state === 'failed' ? (failed.failure?.phase ?? 'load') : 'load',
        error,
        'skipped',
      );
    }
  }

  #bootReport(plan: BootPlan, durationMs: number): BootReport {
    const plugins = this.#table.snapshot();
    return {
      ok: plugins.every((p) => p.state === 'started'),
      durationMs,
      plugins,
      waves: plan.graph.waves,
      criticalPath: criticalPath(
        plan.graph.waves,
        plan.graph.edges,
        plugins.filter((p) => p.state === 'started'),
      ),
      ignored: plan.ignored,
    };
  }

  stop(): Promise<StopReport> {
    return this.#operations.add(() => this.#shutdown());
  }

  async #shutdown(): Promise<StopReport> {
    const started = performance.now();
    const loaded = this.#table.records().filter((r) => r.runtime !== undefined);
    const errors = await this.#stopAndUnload(loaded.map((r) => r.name));
    for (const { plugin, error } of errors)
      this.#logger.error({ plugin, code: error.code, err: error.message }, 'stop error');
    return { ok: errors.length === 0, durationMs: performance.now() - started, errors };
  }

  /** Stops, then unloads, `names` in reverse dependency order, each wave in parallel, past errors. */
  async #stopAndUnload(names: readonly string[]): Promise<Array<StopReport['errors'][number]>> {
    const errors: Array<StopReport['errors'][number]> = [];
    const note = (plugin: string, error: unknown) => errors.push({ plugin, error: errorReport(error) });
    const waves = planWaves(names, this.#plan?.graph.edges ?? new Map()).reverse();
    const records = (wave: readonly string[]) => wave.map((name) => this.#table.get(name) as PluginRecord);
    for (const wave of waves) {
      await Promise.all(
        records(wave).map(async (record) => {
          const error = await this.#lifecycle.stop(record, this.#timeoutOf(record, 'onStop'));
          if (error !== undefined) note(record.name, error);
        }),
      );
    }
    for (const wave of waves) {
      await Promise.all(
        records(wave).map(async (record) => {
          for (const error of await this.#lifecycle.unload(record)) note(record.name, error);
        }),
      );
    }
    return errors;
  }

  #requireLoaded(name: string): void {
    if (this.#table.get(name)?.runtime === undefined) {
      throw new ModuError('MODU_LOADER_NOT_LOADED', `plugin ${name} is not loaded`, { details: { plugin: name } });
    }
  }

  /** `name` and every loaded plugin that depends on it, directly or not. */
  #withLoadedDependents(name: string): string[] {
    const dependents = [...skippedDependents([name], this.#plan?.graph.dependents ?? new Map()).keys()];
    return [name, ...dependents.filter((d) => this.#table.get(d)?.runtime !== undefined)];
  }

  #snapshots(names: readonly string[]): PluginSnapshot[] {
    return names.map((name) => snapshotOf(this.#table.get(name) as PluginRecord));
  }

  unload(name: string): Promise<PluginSnapshot[]> {
    return this.#operations.add(async () => {
      this.#requireLoaded(name);
      const affected = this.#withLoadedDependents(name);
      for (const { plugin, error } of await this.#stopAndUnload(affected)) {
        this.#logger.warn({ plugin, code: error.code, err: error.message }, 'unload error');
      }
      return this.#snapshots(affected);
    });
  }

  reload(name: string): Promise<PluginSnapshot[]> {
    return this.#operations.add(async () => {
      this.#requireLoaded(name);
      const affected = this.#withLoadedDependents(name);
      for (const { plugin, error } of await this.#stopAndUnload(affected)) {
        this.#logger.warn({ plugin, code: error.code, err: error.message }, 'reload: stop error');
      }
      await this.#bringUp(affected);
      return this.#snapshots(affected);
    });
  }

  load(name: string): Promise<PluginSnapshot> {
    return this.#operations.add(async () => {
      if (this.#table.get(name)?.runtime === undefined) await this.#bringUp([name]);
      const record = this.#table.get(name);
      if (record === undefined) {
        const where = this.#options.pluginDirs.join(', ');
        throw new ModuError('MODU_LOADER_NOT_LOADED', `no plugin named ${name} in ${where}`, {
          details: { plugin: name },
        });
      }
      return snapshotOf(record);
    });
  }

  /**
   * Reads the plugin folders again, then loads and starts `names` in the new dependency order; a
   * plugin whose dependencies are not running is skipped with the reason.
   */
  async #bringUp(names: readonly string[]): Promise<void> {
    const wanted = new Set(names);
    const plan = await preparePlugins(this.#table, { ...this.#prepareOptions(), only: wanted });
    this.#plan = plan;
    const waves = plan.graph.waves.map((wave) => wave.filter((name) => wanted.has(name)));
    for (const wave of waves) {
      await this.#eachReady(wave, 'discovered', async (record) => {
        // Dependencies brought up here loaded in an earlier wave (or failed, skipping this one); others must run.
        const waiting = (plan.graph.edges.get(record.name) ?? []).filter(
          (d) => !wanted.has(d) && this.#table.get(d)?.state !== 'started',
        );
        if (waiting.length === 0) return this.#load(record);
        const message = `${record.name} is skipped because ${waiting.join(', ')} is not running`;
        const error = new ModuError('MODU_GRAPH_DEPENDENCY_FAILED', message, { details: { dependencies: waiting } });
        this.#table.fail(record, 'resolve', error, 'skipped');
      });
    }
    for (const wave of waves) await this.#eachReady(wave, 'loaded', (record) => this.#start(record));
  }
}

/**
 * Creates a plugin kernel over `pluginDirs`. Nothing runs until `start()`.
 *
 * @throws ModuError `MODU_CONFIG_INVALID` when the options do not match the host config schema
 * @example
 * const kernel = createKernel({ pluginDirs: ['./plugins'] });
 * const report = await kernel.start();
 */
export function createKernel(options: KernelOptions): Kernel {
  return new ModuKernel(options, options.http ?? interimHttp, options.code ?? interimCode);
}

// TODO(issue 3, issue 4): replaced by the kernel's HTTP layer and the module gate when they merge today.
const interimHttp: HttpMount = {
  mount: async () => {},
  activate: () => {},
  deactivate: () => {},
  drain: async () => {},
  unmount: () => {},
};
const interimCode: CodeLoader = {
  admit: async () => {},
  importEntry: (entry, generation) => import(`${pathToFileURL(entry).href}?modu-gen=${generation}`),
  release: async () => {},
};
