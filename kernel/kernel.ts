import { join, resolve } from 'node:path';
import { Container } from 'inversify';
import type { Registry } from 'prom-client';
import type { Logger } from './authoring/plugin-definition.js';
import type { BootReport, StopReport } from './boot/boot-report.js';
import { checkPluginCode } from './boot/check-plugin-code.js';
import { criticalPath } from './boot/critical-path.js';
import { type BootPlan, type PlannedPlugin, preparePlugins } from './boot/prepare-plugins.js';
import { type HostConfig, hostConfigSchema } from './config/host-config-schema.js';
import { ServiceOwnership } from './container/service-ownership.js';
import { defaultLogger } from './default-logger.js';
import { ModuError } from './errors/modu-error.js';
import type { RouteInfo } from './http/compiled-route.js';
import { composeHandlers } from './http/compose-handlers.js';
import { hostEndpoints } from './http/host-endpoints.js';
import type { NeutralHandler } from './http/neutral.js';
import { createPluginHttp, type PluginHttp } from './http/plugin-http.js';
import { PluginIsolation } from './isolation/plugin-isolation.js';
import type { KernelOptions } from './kernel-options.js';
import { reloadAtomically } from './lifecycle/atomic-reload.js';
import { type Generation, PluginLifecycle } from './lifecycle/plugin-lifecycle.js';
import { PluginPipeline } from './lifecycle/plugin-pipeline.js';
import { defaultHookTimeouts, type HookName } from './lifecycle/run-hook.js';
import { moduleGate } from './loader/module-gate/module-gate.js';
import type { PluginManifest } from './manifest/manifest-schema.js';
import type { PluginPackage } from './manifest/read-manifest.js';
import { createKernelMetrics } from './metrics/kernel-metrics.js';
import { isLive, type PluginRecord, snapshotOf } from './runtime/plugin-record.js';
import type { PluginSnapshot } from './runtime/plugin-snapshot.js';
import { type KernelEvents, PluginTable } from './runtime/plugin-table.js';
import { runtimeReport } from './runtime-report.js';
import { precompile, validate } from './validation/validate.js';
import { KERNEL_VERSION } from './version.js';

// Compiled before any plugin code runs (see precompile).
precompile(hostConfigSchema);

/** A plugin host: see {@link createKernel}. */
export interface Kernel {
  /** Discovers, validates, resolves, loads and starts every plugin. @throws ModuError `MODU_KERNEL_REQUIRED_FAILED` */
  start(): Promise<BootReport>;
  /** Stops (`onStop`) and unloads (`onUnload`) every plugin in reverse dependency order, past errors. */
  stop(): Promise<StopReport>;
  /**
   * Loads and starts one plugin (new on disk, or unloaded, failed or skipped before); its dependencies must run.
   * @throws ModuError `MODU_LOADER_PLUGIN_NOT_FOUND` when no plugin folder has that name
   */
  load(name: string): Promise<PluginSnapshot>;
  /**
   * Stops and unloads a plugin and, first, every loaded plugin that depends on it; returns their snapshots, the
   * plugin's first. With `refuseRequired` (the HTTP endpoint), refuses when any of them is `required`.
   * @throws ModuError `MODU_LOADER_NOT_LOADED`, `MODU_LIFECYCLE_REQUIRED`
   */
  unload(name: string, options?: { readonly refuseRequired?: boolean }): Promise<PluginSnapshot[]>;
  /**
   * Replaces a started plugin's code without a restart, atomically: reads its folder again, builds and starts the
   * new generation (and new generations of its live dependents, wired to it) beside the running ones, then swaps
   * them in at once; the old generations drain and stop. A new generation that fails changes nothing: the old
   * ones keep serving. Resolves to the snapshots of the plugin and its dependents.
   * @throws ModuError `MODU_LOADER_NOT_LOADED`, `MODU_LIFECYCLE_RELOAD_FAILED` with the cause
   */
  reload(name: string): Promise<PluginSnapshot[]>;
  /** Snapshots of every plugin, sorted by name. */
  snapshot(): PluginSnapshot[];
  /** The kernel's Prometheus registry: plugin states, phase times, transitions. */
  readonly metrics: Registry;
  /**
   * The host's HTTP handler: the `/_modu` endpoints (health, plugins, metrics, admin writes) and every
   * started plugin's routes, live. Mount it with `expressHandler` or `koaMiddleware`.
   */
  readonly http: NeutralHandler;
  /** The live route table: method, path, owner, guards and permissions of every mounted route. */
  routes(): readonly RouteInfo[];
  on<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void;
  off<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void;
}

class ModuKernel implements Kernel {
  readonly metrics: Registry;
  readonly http: NeutralHandler;
  readonly #http: PluginHttp;
  readonly #options: KernelOptions;
  readonly #config: HostConfig;
  readonly #logger: Logger;
  readonly #table = new PluginTable();
  readonly #kernelMetrics = createKernelMetrics(() => this.#table.snapshot());
  readonly #lifecycle: PluginLifecycle;
  readonly #isolation: PluginIsolation;
  readonly #pipeline: PluginPipeline;
  readonly #scanCache: string;
  /** start, stop, load, unload and reload run one at a time, in the order called. */
  #operations: Promise<unknown> = Promise.resolve();

  constructor(options: KernelOptions) {
    this.metrics = this.#kernelMetrics.registry;
    this.#table.events.on('state', this.#kernelMetrics.onStateChange);
    const { logger, env = process.env, source = 'createKernel options', doubles, ...config } = options;
    this.#options = { ...options, env, source };
    this.#config = validate<HostConfig>(hostConfigSchema, config, { file: source }, 'MODU_CONFIG_INVALID');
    this.#logger = logger ?? defaultLogger(env);
    this.#table.onFailure = (record, error) => this.#logFailure(record, error);
    this.#http = createPluginHttp({
      logger: this.#logger,
      hostPrefix: this.#config.endpoints?.prefix ?? '/_modu',
      ...(this.#config.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: this.#config.bodyLimitBytes }),
    });
    const host = hostEndpoints(this, { ...this.#config.endpoints, metrics: [this.metrics, this.#http.metrics] });
    const hostPaths = `${this.#config.endpoints?.prefix ?? '/_modu'}/`;
    const routes = this.#http.handler;
    const both = composeHandlers(host, routes);
    // Plugin routes are the hot path: only requests under the endpoints' prefix try the host first.
    this.http = (request) => (request.path.startsWith(hostPaths) ? both(request) : routes(request));
    this.#scanCache = join(resolve(this.#config.cacheDir ?? '.modu/cache'), 'scan');
    const scanCache = this.#scanCache;
    const code = moduleGate();
    this.#isolation = this.#processTier();
    this.#lifecycle = new PluginLifecycle({
      http: this.#http,
      code,
      isolation: this.#isolation,
      logger: this.#logger,
      rootContainer: new Container(),
      ownership: new ServiceOwnership(),
      runtimeOf: (name) => this.#pipeline.runtimeOf(name),
      timeoutOf: (name, manifest, hook) => this.#timeoutOf(name, manifest, hook),
      blockedBy: (name) => this.#pipeline.dependentsOf(name),
      checkCode: (pkg, granted) => checkPluginCode(pkg, granted, scanCache, code),
      ...(doubles === undefined ? {} : { doubles }),
    });
    this.#pipeline = new PluginPipeline({
      table: this.#table,
      lifecycle: this.#lifecycle,
      concurrency: this.#config.concurrency ?? 8,
      required: (name) => this.#config.plugins?.[name]?.required === true,
      drainMs: (generation) => this.#timeoutOf(generation.name, generation.pkg.manifest, 'onStop'),
    });
  }

  /** The process tier: an isolated plugin's routes answer 503 while its process restarts, and it fails for good. */
  #processTier(): PluginIsolation {
    return new PluginIsolation({
      config: this.#config,
      dataDir: resolve(this.#config.dataDir ?? '.modu/data'),
      logger: this.#logger,
      timeoutOf: (name, hook) => this.#timeoutOf(name, this.#table.get(name)?.pkg?.manifest, hook),
      onDown: (name) => this.#http.deactivate(name),
      onUp: (name) => {
        if (this.#table.get(name)?.state === 'started') this.#http.activate(name);
      },
      onFailed: (name, error) => {
        this.#http.deactivate(name);
        this.#serial(() => this.#pipeline.failStarted(name, error)).catch((cause: unknown) => {
          // Never an unhandled rejection: the host outlives whatever went wrong releasing a plugin.
          this.#logger.error(
            { plugin: name, err: cause instanceof Error ? cause.message : String(cause) },
            'fail error',
          );
        });
      },
    });
  }

  /** Each failed or skipped plugin: phase, code, message and cause chain; the stack at debug. */
  #logFailure(record: PluginRecord, error: unknown): void {
    if (!('failure' in record)) return;
    const { failure } = record;
    const { code, message, cause } = failure.error;
    const entry = { plugin: record.name, phase: failure.phase, code, err: message, ...(cause ? { cause } : {}) };
    if (record.state === 'skipped') this.#logger.warn(entry, 'plugin skipped');
    else this.#logger.error(entry, 'plugin failed');
    if (error instanceof Error) this.#logger.debug({ plugin: record.name, stack: error.stack }, 'plugin failure stack');
  }

  /** The host's per-plugin timeout, else the manifest's, else the host default, else Modu's. */
  #timeoutOf(name: string, manifest: PluginManifest | undefined, hook: HookName): number {
    const host = this.#config.plugins?.[name]?.timeouts?.[hook];
    return host ?? manifest?.timeouts?.[hook] ?? this.#config.timeouts?.[hook] ?? defaultHookTimeouts[hook];
  }

  /** Runs `operation` after every operation called before it has settled. */
  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#operations.then(operation, operation);
    this.#operations = result.catch(() => undefined);
    return result;
  }

  #prepare(onReady?: (planned: PlannedPlugin) => void, known?: readonly PluginPackage[]): Promise<BootPlan> {
    const { pluginDirs, env = process.env, source = 'createKernel options' } = this.#options;
    return preparePlugins({
      pluginDirs,
      config: this.#config,
      env,
      source,
      kernelVersion: KERNEL_VERSION,
      scanCache: this.#scanCache,
      ...(onReady === undefined ? {} : { onReady }),
      ...(known === undefined ? {} : { known }),
    });
  }

  on<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void {
    this.#table.events.on(event, listener as never);
  }

  off<E extends keyof KernelEvents>(event: E, listener: (...args: KernelEvents[E]) => void): void {
    this.#table.events.off(event, listener as never);
  }

  snapshot(): PluginSnapshot[] {
    return this.#isolation.annotate(this.#table.snapshot());
  }

  routes(): readonly RouteInfo[] {
    return this.#http.routes();
  }

  start(): Promise<BootReport> {
    return this.#serial(async () => {
      if (this.#table.records().some(isLive)) {
        throw new ModuError('MODU_KERNEL_ALREADY_STARTED', 'The kernel is already started.', {});
      }
      const began = performance.now();
      const plan = await this.#pipeline.boot((onReady) => this.#prepare(onReady));
      const report = this.#bootReport(plan, performance.now() - began);
      const failedRequired = report.plugins.filter((p) => p.required && p.state !== 'started');
      if (failedRequired.length > 0) {
        await this.#shutdown();
        const list = failedRequired.map((p) => `${p.name} (${p.failure?.error.message ?? p.state})`).join('; ');
        throw new ModuError('MODU_KERNEL_REQUIRED_FAILED', `Required plugins did not start: ${list}`, {
          details: { plugins: failedRequired },
        });
      }
      const summary = { durationMs: Math.round(report.durationMs), plugins: report.plugins.length, ok: report.ok };
      this.#logger.info(summary, 'modu started');
      return report;
    });
  }

  #bootReport(plan: BootPlan, durationMs: number): BootReport {
    const plugins = this.snapshot();
    const started = plugins.filter((p) => p.state === 'started');
    return {
      ok: started.length === plugins.length,
      durationMs,
      plugins,
      waves: plan.graph.waves,
      criticalPath: criticalPath(plan.graph.waves, plan.graph.edges, started),
      ignored: plan.ignored,
      runtime: runtimeReport(),
    };
  }

  stop(): Promise<StopReport> {
    return this.#serial(() => this.#shutdown());
  }

  async #shutdown(): Promise<StopReport> {
    const began = performance.now();
    const live = this.#table.records().filter(isLive);
    const errors = await this.#pipeline.stopAndUnload(live.map((r) => r.name));
    this.#logErrors(errors, 'stop error');
    return { ok: errors.length === 0, durationMs: performance.now() - began, errors };
  }

  #logErrors(errors: StopReport['errors'], message: string): void {
    for (const { plugin, error } of errors)
      this.#logger.error({ plugin, code: error.code, err: error.message }, message);
  }

  #requireLive(name: string): void {
    if (!isLive(this.#table.get(name))) {
      throw new ModuError('MODU_LOADER_NOT_LOADED', `Plugin ${name} is not loaded.`, { details: { plugin: name } });
    }
  }

  #snapshots(names: readonly string[]): PluginSnapshot[] {
    return names.flatMap((name) => {
      const record = this.#table.get(name);
      return record === undefined ? [] : [snapshotOf(record)];
    });
  }

  unload(name: string, options: { readonly refuseRequired?: boolean } = {}): Promise<PluginSnapshot[]> {
    return this.#serial(async () => {
      this.#requireLive(name);
      const affected = this.#pipeline.withLiveDependents(name);
      const required = affected.filter((plugin) => this.#table.get(plugin)?.required === true);
      if (options.refuseRequired === true && required.length > 0) {
        const which = required[0] === name ? `${name} is required` : `it would take required ${required.join(', ')}`;
        throw new ModuError('MODU_LIFECYCLE_REQUIRED', `Plugin ${name} cannot be unloaded over HTTP: ${which}`, {
          details: { plugin: name, required, dependents: affected.slice(1) },
        });
      }
      this.#logErrors(await this.#pipeline.stopAndUnload(affected), 'unload error');
      return this.#snapshots(affected);
    });
  }

  reload(name: string): Promise<PluginSnapshot[]> {
    return this.#serial(async () => {
      this.#requireLive(name);
      // Only the folders of the plugin and its live dependents are read again: under load, each read of the others
      // waited its turn behind the requests, and their code keeps running unchanged anyway.
      const plan = await this.#prepare(undefined, this.#pipeline.unaffectedPackages(name));
      const affected = this.#pipeline.withLiveDependents(name, plan.graph);
      const env = { table: this.#table, lifecycle: this.#lifecycle, pipeline: this.#pipeline };
      const drainMs = (generation: Generation) => this.#timeoutOf(generation.name, generation.pkg.manifest, 'onStop');
      const began = performance.now();
      try {
        this.#logErrors(await reloadAtomically({ ...env, drainMs }, plan, affected), 'reload: stop error');
      } catch (error) {
        const code = ModuError.is(error) ? error.code : 'ERROR';
        this.#logger.warn({ plugin: name, code, err: (error as Error).message }, 'reload failed; old generation kept');
        throw error;
      }
      this.#logger.info(
        { plugin: name, plugins: affected, durationMs: Math.round(performance.now() - began) },
        'reloaded',
      );
      return this.#snapshots(affected);
    });
  }

  load(name: string): Promise<PluginSnapshot> {
    return this.#serial(async () => {
      const current = this.#table.get(name);
      if (isLive(current)) return snapshotOf(current);
      const plan = await this.#prepare();
      if (!plan.plugins.has(name) && !plan.problems.some((problem) => problem.name === name)) {
        const where = this.#options.pluginDirs.join(', ');
        throw new ModuError('MODU_LOADER_PLUGIN_NOT_FOUND', `No plugin named ${name} in ${where}.`, {
          details: { plugin: name },
        });
      }
      await this.#pipeline.bringUp(plan, new Set([name]));
      return snapshotOf(this.#table.get(name) as PluginRecord);
    });
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
  return new ModuKernel(options);
}
