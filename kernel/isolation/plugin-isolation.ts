import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, PluginDefinition } from '../authoring/plugin-definition.js';
import type { PlannedPlugin } from '../boot/prepare-plugins.js';
import type { HostConfig } from '../config/host-config-schema.js';
import { ModuError } from '../errors/modu-error.js';
import type { HookName } from '../lifecycle/run-hook.js';
import { realPath } from '../loader/module-gate/module-gate.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import type { PluginSnapshot } from '../runtime/plugin-snapshot.js';
import { runtimeFeatures } from '../runtime-features.js';
import { isolatedDefinition } from './isolated-definition.js';
import { IsolatedPlugin } from './isolated-plugin.js';
import type { CallRequest, InitRequest } from './isolation-protocol.js';
import { defaultLimits, type IsolationTier, type ResolvedLimits } from './isolation-schema.js';
import { processPermissions } from './process-permissions.js';
import { isCallableName } from './service-proxy.js';

/** What the isolation tier needs from the kernel. */
export interface IsolationEnvironment {
  readonly config: HostConfig;
  /** The folder under which each isolated plugin granted `node:fs` gets its data folder. */
  readonly dataDir: string;
  readonly logger: Logger;
  readonly timeoutOf: (name: string, hook: HookName) => number;
  /** The serving process of a plugin went down (its routes answer 503), came back up, or stays down (failed). */
  readonly onDown: (name: string) => void;
  readonly onUp: (name: string) => void;
  readonly onFailed: (name: string, error: ModuError) => void;
}

/** One generation's process, and the host-side runtime its calls to dependencies resolve in once it loaded. */
interface PluginProcess {
  readonly name: string;
  readonly plugin: IsolatedPlugin;
  runtime: PluginRuntime | undefined;
}

function invalidCall(request: CallRequest, why: string): ModuError {
  return new ModuError('MODU_ISOLATION_CALL_INVALID', `${request.token}.${String(request.method)}(): ${why}`, {
    details: { token: request.token, method: String(request.method) },
  });
}

/**
 * The process tier of a host: which plugins run in their own process (`isolation` and `limits`, top level then
 * `plugins.<name>`), and a supervisor per generation. The lifecycle asks it for an isolated plugin's definition
 * instead of importing the code, and tells it when that generation loads, serves and is released. A reload starts
 * the new generation's process beside the serving one; only the serving process's ups and downs reach the routes.
 */
export class PluginIsolation {
  readonly #env: IsolationEnvironment;
  /** By the stand-in definition each generation's process answered with. */
  readonly #processes = new Map<PluginDefinition, PluginProcess>();
  readonly #serving = new Map<string, IsolatedPlugin>();

  constructor(env: IsolationEnvironment) {
    this.#env = env;
  }

  /** The tier the host config gives the plugin. */
  tierOf(name: string): IsolationTier {
    return this.#env.config.plugins?.[name]?.isolation ?? this.#env.config.isolation ?? 'none';
  }

  /** The plugin's limits: Modu's defaults, then the host's, then the plugin's own section. */
  limitsOf(name: string): ResolvedLimits {
    return { ...defaultLimits, ...this.#env.config.limits, ...this.#env.config.plugins?.[name]?.limits };
  }

  /**
   * Starts a process for the plugin, imports and stages it there, and returns the host's stand-in definition.
   * @throws ModuError `MODU_ISOLATION_START_FAILED`, and the child's loader errors with their codes
   */
  async definitionOf(
    planned: PlannedPlugin,
    code: Pick<InitRequest, 'generation' | 'scan'>,
  ): Promise<PluginDefinition> {
    const { listing: _listing, ...pkg } = planned.pkg;
    const { granted, config } = planned.prepared;
    const name = pkg.manifest.name;
    const root = realPath(pkg.root);
    const dataDir = join(this.#env.dataDir, name.replace('/', '__'));
    if (granted.includes('node:fs')) await mkdir(dataDir, { recursive: true });
    const limits = this.limitsOf(name);
    const permissions = processPermissions({
      root,
      granted,
      dataDir,
      memoryMb: limits.memoryMb,
      features: runtimeFeatures(),
    });
    // Only the serving generation's process reaches the plugin's routes; one being staged or retired does not.
    const whenServing = (act: () => void) => () => {
      if (this.#serving.get(name) === plugin) act();
    };
    let entry: PluginProcess | undefined;
    const plugin = new IsolatedPlugin({
      init: { pkg: { ...pkg, root, entry: join(root, pkg.entry.slice(pkg.root.length)) }, config, granted, ...code },
      limits,
      permissions,
      logger: this.#env.logger.child({ plugin: name }),
      timeoutOf: (hook) => this.#env.timeoutOf(name, hook),
      hostCall: (request) => this.#hostCall(name, entry?.runtime, request),
      onDown: whenServing(() => this.#env.onDown(name)),
      onUp: whenServing(() => this.#env.onUp(name)),
      onFailed: (error) => whenServing(() => this.#env.onFailed(name, error))(),
    });
    entry = { name, plugin, runtime: undefined };
    let definition: PluginDefinition;
    try {
      definition = isolatedDefinition(plugin, await plugin.start());
    } catch (error) {
      await plugin.end(this.#env.timeoutOf(name, 'onUnload'));
      throw error;
    }
    this.#processes.set(definition, entry);
    return definition;
  }

  /** Loads an isolated generation in its process with the exported services of the dependencies it may see. */
  async load(runtime: PluginRuntime, runtimeOf: (name: string) => PluginRuntime | undefined): Promise<void> {
    const entry = this.#processes.get(runtime.definition);
    if (entry === undefined) return;
    entry.runtime = runtime;
    const dependencies = [...runtime.dependencies].flatMap((name) => {
      const owner = runtimeOf(name);
      return owner === undefined ? [] : [{ name, services: owner.manifest.exports?.services ?? [] }];
    });
    await entry.plugin.load({ dependencies });
  }

  /** The generation serves: its process's crashes restart it and reach the plugin's routes from now on. */
  serving(runtime: PluginRuntime): void {
    const entry = this.#processes.get(runtime.definition);
    if (entry === undefined) return;
    this.#serving.set(entry.name, entry.plugin);
    entry.plugin.serving();
  }

  /** Ends a generation's process, if it has one (SIGKILL after its onUnload deadline). */
  async end(definition: PluginDefinition): Promise<void> {
    const entry = this.#processes.get(definition);
    if (entry === undefined) return;
    this.#processes.delete(definition);
    if (this.#serving.get(entry.name) === entry.plugin) this.#serving.delete(entry.name);
    await entry.plugin.end(this.#env.timeoutOf(entry.name, 'onUnload'));
  }

  /** Ends the processes of `name` whose generation never loaded (its load failed, or it was skipped). */
  async endUnloaded(name: string): Promise<void> {
    const unloaded = [...this.#processes].filter(([, entry]) => entry.name === name && entry.runtime === undefined);
    await Promise.all(unloaded.map(([definition]) => this.end(definition)));
  }

  /** Adds to each snapshot of a plugin served from a process the process's report (pid, restarts, permissions). */
  annotate(snapshots: PluginSnapshot[]): PluginSnapshot[] {
    if (this.#serving.size === 0) return snapshots;
    return snapshots.map((snapshot) => {
      const plugin = this.#serving.get(snapshot.name);
      return plugin === undefined ? snapshot : { ...snapshot, isolation: plugin.report() };
    });
  }

  /**
   * A call from the plugin's process to a dependency's service: resolved in the plugin's host-side container, so only
   * what the host lets it see (declared dependencies' exported services) is reachable.
   */
  async #hostCall(name: string, runtime: PluginRuntime | undefined, request: CallRequest): Promise<unknown> {
    if (runtime === undefined) throw invalidCall(request, `plugin '${name}' is not loaded`);
    if (typeof request.token !== 'string' || !isCallableName(request.method))
      throw invalidCall(request, 'not a method name');
    if (request.token.startsWith(`${name}/`)) throw invalidCall(request, 'its own services live in its process');
    const service = (await runtime.context.useAsync(request.token)) as Record<string, unknown>;
    const method = service[request.method];
    if (typeof method !== 'function') throw invalidCall(request, 'no such method');
    return await Reflect.apply(method, service, request.args as unknown[]);
  }
}
