import { pathToFileURL } from 'node:url';
import { Container } from 'inversify';
import PQueue from 'p-queue';
import { pino } from 'pino';
import type { Logger } from './authoring/plugin-definition.js';
import type { BootReport, StopReport } from './boot/boot-report.js';
import { criticalPath } from './boot/critical-path.js';
import { type BootPlan, preparePlugins } from './boot/prepare-plugins.js';
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
import { errorReport } from './runtime/error-report.js';
import type { PluginRecord } from './runtime/plugin-record.js';
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
  /** Snapshots of every plugin, sorted by name. */
  snapshot(): PluginSnapshot[];
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
  readonly #lifecycle: PluginLifecycle;
  readonly #queue: PQueue;
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

  snapshot(): PluginSnapshot[] {
    return this.#table.snapshot();
  }

  async start(): Promise<BootReport> {
    const started = performance.now();
    const plan = await preparePlugins(this.#table, {
      pluginDirs: this.#options.pluginDirs,
      config: this.#config,
      env: this.#env,
      source: this.#options.source ?? 'createKernel options',
      kernelVersion: KERNEL_VERSION,
      checkCode: async () => {},
    });
    this.#plan = plan;
    for (const wave of plan.graph.waves) await this.#eachReady(wave, 'discovered', (r) => this.#load(r));
    for (const wave of plan.graph.waves) await this.#eachReady(wave, 'loaded', (r) => this.#start(r));
    const report = this.#bootReport(plan, performance.now() - started);
    const failedRequired = report.plugins.filter((p) => p.required && p.state !== 'started');
    if (failedRequired.length > 0) {
      await this.stop();
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

  /** Loaded plugins in reverse dependency order, grouped in waves that can stop in parallel. */
  #reverseWaves(): string[][] {
    const loaded = this.#table
      .records()
      .filter((r) => r.runtime !== undefined)
      .map((r) => r.name);
    return planWaves(loaded, this.#plan?.graph.edges ?? new Map())
      .reverse()
      .map((w) => [...w]);
  }

  async stop(): Promise<StopReport> {
    const started = performance.now();
    const errors: Array<StopReport['errors'][number]> = [];
    const note = (plugin: string, error: unknown) => errors.push({ plugin, error: errorReport(error) });
    const waves = this.#reverseWaves();
    for (const wave of waves) {
      await Promise.all(
        wave.map(async (name) => {
          const record = this.#table.get(name) as PluginRecord;
          const error = await this.#lifecycle.stop(record, this.#timeoutOf(record, 'onStop'));
          if (error !== undefined) note(name, error);
        }),
      );
    }
    for (const wave of waves) {
      await Promise.all(
        wave.map(async (name) => {
          for (const error of await this.#lifecycle.unload(this.#table.get(name) as PluginRecord)) note(name, error);
        }),
      );
    }
    for (const { plugin, error } of errors)
      this.#logger.error({ plugin, code: error.code, err: error.message }, 'stop error');
    return { ok: errors.length === 0, durationMs: performance.now() - started, errors };
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
