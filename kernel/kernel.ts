import { join, resolve } from 'node:path';
import { Container } from 'inversify';
import PQueue from 'p-queue';
import type { Registry } from 'prom-client';
import type { Logger } from './authoring/plugin-definition.js';
import type { BootReport, StopReport } from './boot/boot-report.js';
import { checkPluginCode } from './boot/check-plugin-code.js';
import { criticalPath } from './boot/critical-path.js';
import type { BootPlan } from './boot/prepare-plugins.js';
import { type HostConfig, hostConfigSchema } from './config/host-config-schema.js';
import { ServiceOwnership } from './container/service-ownership.js';
import { defaultLogger } from './default-logger.js';
import { ModuError } from './errors/modu-error.js';
import type { RouteInfo } from './http/compiled-route.js';
import { composeHandlers } from './http/compose-handlers.js';
import { hostEndpoints } from './http/host-endpoints.js';
import type { NeutralHandler } from './http/neutral.js';
import { createPluginHttp, type PluginHttp } from './http/plugin-http.js';
import type { KernelOptions } from './kernel-options.js';
import { PluginLifecycle } from './lifecycle/plugin-lifecycle.js';
import { PluginOrchestrator } from './lifecycle/plugin-orchestrator.js';
import { defaultHookTimeouts, type HookName } from './lifecycle/run-hook.js';
import { moduleGate } from './loader/module-gate/module-gate.js';
import { createKernelMetrics } from './metrics/kernel-metrics.js';
import { type PluginRecord, snapshotOf } from './runtime/plugin-record.js';
import type { PluginSnapshot } from './runtime/plugin-snapshot.js';
import { type KernelEvents, PluginTable } from './runtime/plugin-table.js';
import { validate } from './validation/validate.js';
import { KERNEL_VERSION } from './version.js';

/** A plugin host: see {@link createKernel}. */
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
  readonly #orchestrator: PluginOrchestrator;
  /** start, stop, load, unload and reload run one at a time. */
  readonly #operations = new PQueue({ concurrency: 1 });

  constructor(options: KernelOptions) {
    this.metrics = this.#kernelMetrics.registry;
    this.#table.events.on('state', this.#kernelMetrics.onStateChange);
    const { logger, env = process.env, source = 'createKernel options', doubles, ...config } = options;
    this.#options = options;
    this.#config = validate<HostConfig>(hostConfigSchema, config, { file: source }, 'MODU_CONFIG_INVALID');
    this.#logger = logger ?? defaultLogger(env);
    this.#table.onFailure = (record, error) => this.#logFailure(record, error);
    this.#http = createPluginHttp({
      logger: this.#logger,
      ...(this.#config.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: this.#config.bodyLimitBytes }),
    });
    const host = hostEndpoints(this, { ...this.#config.endpoints, metrics: [this.metrics, this.#http.metrics] });
    const hostPaths = `${this.#config.endpoints?.prefix ?? '/_modu'}/`;
    const routes = this.#http.handler;
    const both = composeHandlers(host, routes);
    // Plugin routes are the hot path: only requests under the endpoints' prefix try the host first.
    this.http = (request) => (request.path.startsWith(hostPaths) ? both(request) : routes(request));
    const timeoutOf = (record: PluginRecord, hook: HookName) => this.#timeoutOf(record, hook);
    const scanCache = join(resolve(this.#config.cacheDir ?? '.modu/cache'), 'scan');
    const lifecycle = new PluginLifecycle({
      table: this.#table,
      http: this.#http,
      code: moduleGate(),
      logger: this.#logger,
      rootContainer: new Container(),
      ownership: new ServiceOwnership(),
      runtimeOf: (name) => this.#table.get(name)?.runtime,
      timeoutOf,
      blockedBy: (name) => this.#orchestrator.dependentsOf(name),
      checkCode: (pkg, granted) => checkPluginCode(pkg, granted, scanCache),
      ...(doubles === undefined ? {} : { doubles }),
    });
    this.#orchestrator = new PluginOrchestrator({
      table: this.#table,
      lifecycle,
      concurrency: this.#config.concurrency ?? 8,
      timeoutOf,
      prepareOptions: () => ({
        pluginDirs: options.pluginDirs,
        config: this.#config,
        env,
        source,
        kernelVersion: KERNEL_VERSION,
        scanCache,
      }),
    });
  }

  /** Each failed or skipped plugin: phase, code, message and cause chain; the stack at debug. */
  #logFailure(record: PluginRecord, error: unknown): void {
    const failure = record.failure;
    if (failure === undefined) return;
    const { code, message, cause } = failure.error;
    const entry = { plugin: record.name, phase: failure.phase, code, err: message, ...(cause ? { cause } : {}) };
    if (record.state === 'skipped') this.#logger.warn(entry, 'plugin skipped');
    else this.#logger.error(entry, 'plugin failed');
    if (error instanceof Error) this.#logger.debug({ plugin: record.name, stack: error.stack }, 'plugin failure stack');
  }

  /** The host's per-plugin timeout, else the manifest's, else the host default, else Modu's. */
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

  snapshot(): PluginSnapshot[] {
    return this.#table.snapshot();
  }

  routes(): readonly RouteInfo[] {
    return this.#http.routes();
  }

  start(): Promise<BootReport> {
    return this.#operations.add(async () => {
      if (this.#table.records().some((record) => record.runtime !== undefined)) {
        throw new ModuError('MODU_KERNEL_ALREADY_STARTED', 'the kernel is already started', {});
      }
      const began = performance.now();
      const plan = await this.#orchestrator.bootAll();
      const report = this.#bootReport(plan, performance.now() - began);
      const failedRequired = report.plugins.filter((p) => p.required && p.state !== 'started');
      if (failedRequired.length > 0) {
        await this.#shutdown();
        const list = failedRequired.map((p) => `${p.name} (${p.failure?.error.message ?? p.state})`).join('; ');
        throw new ModuError('MODU_KERNEL_REQUIRED_FAILED', `required plugins did not start: ${list}`, {
          details: { plugins: failedRequired },
        });
      }
      const summary = { durationMs: Math.round(report.durationMs), plugins: report.plugins.length, ok: report.ok };
      this.#logger.info(summary, 'modu started');
      return report;
    });
  }

  #bootReport(plan: BootPlan, durationMs: number): BootReport {
    const plugins = this.#table.snapshot();
    const started = plugins.filter((p) => p.state === 'started');
    return {
      ok: started.length === plugins.length,
      durationMs,
      plugins,
      waves: plan.graph.waves,
      criticalPath: criticalPath(plan.graph.waves, plan.graph.edges, started),
      ignored: plan.ignored,
    };
  }

  stop(): Promise<StopReport> {
    return this.#operations.add(() => this.#shutdown());
  }

  async #shutdown(): Promise<StopReport> {
    const began = performance.now();
    const loaded = this.#table.records().filter((r) => r.runtime !== undefined);
    const errors = await this.#orchestrator.stopAndUnload(loaded.map((r) => r.name));
    this.#logErrors(errors, 'stop error');
    return { ok: errors.length === 0, durationMs: performance.now() - began, errors };
  }

  #logErrors(errors: StopReport['errors'], message: string): void {
    for (const { plugin, error } of errors)
      this.#logger.error({ plugin, code: error.code, err: error.message }, message);
  }

  #requireLoaded(name: string): void {
    if (this.#table.get(name)?.runtime === undefined) {
      throw new ModuError('MODU_LOADER_NOT_LOADED', `plugin ${name} is not loaded`, { details: { plugin: name } });
    }
  }

  #snapshots(names: readonly string[]): PluginSnapshot[] {
    return names.map((name) => snapshotOf(this.#table.get(name) as PluginRecord));
  }

  unload(name: string): Promise<PluginSnapshot[]> {
    return this.#operations.add(async () => {
      this.#requireLoaded(name);
      const affected = this.#orchestrator.withLoadedDependents(name);
      this.#logErrors(await this.#orchestrator.stopAndUnload(affected), 'unload error');
      return this.#snapshots(affected);
    });
  }

  reload(name: string): Promise<PluginSnapshot[]> {
    return this.#operations.add(async () => {
      this.#requireLoaded(name);
      const affected = this.#orchestrator.withLoadedDependents(name);
      this.#logErrors(await this.#orchestrator.stopAndUnload(affected), 'reload: stop error');
      await this.#orchestrator.bringUp(affected);
      return this.#snapshots(affected);
    });
  }

  load(name: string): Promise<PluginSnapshot> {
    return this.#operations.add(async () => {
      if (this.#table.get(name)?.runtime === undefined) await this.#orchestrator.bringUp([name]);
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
