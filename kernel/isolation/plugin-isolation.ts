import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger, PluginDefinition } from '../authoring/plugin-definition.js';
import type { PreparedPlugin } from '../boot/prepare-plugins.js';
import type { HostConfig } from '../config/host-config-schema.js';
import { ModuError } from '../errors/modu-error.js';
import type { HookName } from '../lifecycle/run-hook.js';
import { realPath } from '../loader/module-gate/module-gate.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRecord } from '../runtime/plugin-record.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
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
  readonly timeoutOf: (record: PluginRecord, hook: HookName) => number;
  /** The plugin's process went down (its routes answer 503), came back up, or stays down (plugin failed). */
  readonly onDown: (record: PluginRecord) => void;
  readonly onUp: (record: PluginRecord) => void;
  readonly onFailed: (record: PluginRecord, error: ModuError) => void;
}

function invalidCall(request: CallRequest, why: string): ModuError {
  return new ModuError('MODU_ISOLATION_CALL_INVALID', `${request.token}.${String(request.method)}(): ${why}`, {
    details: { token: request.token, method: String(request.method) },
  });
}

/**
 * The process tier of a host: which plugins run in their own process (`isolation` and `limits`, top level then
 * `plugins.<name>`), and each one's supervisor. The lifecycle asks it for an isolated plugin's definition instead of
 * importing the code, and tells it when the plugin loads, serves and is released.
 */
export class PluginIsolation {
  readonly #env: IsolationEnvironment;
  readonly #plugins = new Map<PluginRecord, IsolatedPlugin>();

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
   * Starts the plugin's process, imports and stages it there, and returns the host's stand-in definition.
   * @throws ModuError `MODU_ISOLATION_START_FAILED`, and the child's loader errors with their codes
   */
  async definitionOf(
    record: PluginRecord,
    prepared: PreparedPlugin,
    code: Pick<InitRequest, 'generation' | 'scan'>,
  ): Promise<PluginDefinition> {
    const { listing: _listing, ...pkg } = record.pkg as PluginPackage;
    const root = realPath(pkg.root);
    const dataDir = join(this.#env.dataDir, pkg.manifest.name.replace('/', '__'));
    if (prepared.granted.includes('node:fs')) await mkdir(dataDir, { recursive: true });
    const limits = this.limitsOf(record.name);
    const features = runtimeFeatures();
    const permissions = processPermissions({
      root,
      granted: prepared.granted,
      dataDir,
      memoryMb: limits.memoryMb,
      features,
    });
    const plugin = new IsolatedPlugin({
      init: {
        pkg: { ...pkg, root, entry: join(root, pkg.entry.slice(pkg.root.length)) },
        config: prepared.config,
        granted: prepared.granted,
        ...code,
      },
      limits,
      permissions,
      logger: this.#env.logger.child({ plugin: record.name }),
      timeoutOf: (hook) => this.#env.timeoutOf(record, hook),
      hostCall: (request) => this.#hostCall(record, request),
      onDown: () => this.#env.onDown(record),
      onUp: () => this.#env.onUp(record),
      onFailed: (error) => this.#env.onFailed(record, error),
    });
    this.#plugins.set(record, plugin);
    record.isolation = () => plugin.report();
    try {
      return isolatedDefinition(plugin, await plugin.start());
    } catch (error) {
      await this.end(record);
      throw error;
    }
  }

  /** Loads an isolated plugin in its process with the exported services of the dependencies it may see. */
  async load(record: PluginRecord, runtime: PluginRuntime, runtimeOf: (name: string) => PluginRuntime | undefined) {
    const plugin = this.#plugins.get(record);
    if (plugin === undefined) return;
    const dependencies = [...runtime.dependencies].flatMap((name) => {
      const owner = runtimeOf(name);
      return owner === undefined ? [] : [{ name, services: owner.manifest.exports?.services ?? [] }];
    });
    await plugin.load({ dependencies });
  }

  /** The plugin started: a crash from now on restarts its process. */
  serving(record: PluginRecord): void {
    this.#plugins.get(record)?.serving();
  }

  /** Ends the plugin's process, if it has one (SIGKILL after its onUnload deadline). */
  async end(record: PluginRecord): Promise<void> {
    const plugin = this.#plugins.get(record);
    if (plugin === undefined) return;
    this.#plugins.delete(record);
    await plugin.end(this.#env.timeoutOf(record, 'onUnload'));
  }

  /**
   * A call from the plugin's process to a dependency's service: resolved in the plugin's host-side container, so only
   * what the host lets it see (declared dependencies' exported services) is reachable.
   */
  async #hostCall(record: PluginRecord, request: CallRequest): Promise<unknown> {
    const runtime = record.runtime;
    if (runtime === undefined) throw invalidCall(request, `plugin '${record.name}' is not loaded`);
    if (typeof request.token !== 'string' || !isCallableName(request.method))
      throw invalidCall(request, 'not a method name');
    if (request.token.startsWith(`${record.name}/`)) throw invalidCall(request, 'its own services live in its process');
    const service = (await runtime.context.useAsync(request.token)) as Record<string, unknown>;
    const method = service[request.method];
    if (typeof method !== 'function') throw invalidCall(request, 'no such method');
    return await method.apply(service, request.args as unknown[]);
  }
}
