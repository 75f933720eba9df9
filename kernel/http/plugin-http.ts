import type { Registry } from 'prom-client';
import type { Logger } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { ClassScope, declareGuards } from '../guards/declare-guards.js';
import type { GuardEntry } from '../guards/guard-chain.js';
import { GuardRegistry } from '../guards/guard-registry.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import type { BreakerOptions } from './circuit-breaker.js';
import { compileRoutes, pluginPrefix } from './compile-routes.js';
import { type CompiledRoute, type RouteInfo, routeInfo } from './compiled-route.js';
import { createDispatch } from './dispatch.js';
import { createHttpMetrics } from './http-metrics.js';
import { MountedPlugin } from './mounted-plugin.js';
import type { NeutralHandler } from './neutral.js';
import { PrefixOwnership } from './prefix-ownership.js';
import { RouteTrie } from './route-trie.js';

/** The HTTP layer of a host: every mounted plugin's routes and guards, and the one handler serving them. */
export interface PluginHttp {
  /**
   * Compiles the plugin's routes, controllers and guards and registers them as owned by it; on any
   * error it registers nothing. Routes answer 503 until {@link PluginHttp.activate}.
   * @throws ModuError `MODU_GUARD_UNKNOWN`, `MODU_GUARD_NOT_ACCESSIBLE`, `MODU_GUARD_CYCLE`, `MODU_GUARD_INVALID`,
   * `MODU_HTTP_ROUTE_CONFLICT`, `MODU_HTTP_ROUTE_INVALID`, `MODU_LOADER_EXPORT_MISSING`, `MODU_HTTP_ALREADY_MOUNTED`
   */
  mount(runtime: PluginRuntime): Promise<void>;
  /**
   * Compiles a generation's routes, controllers and guards without registering anything: its guards are
   * checked against the registered ones, with those of `alongside` (generations staged with it) in place of
   * their plugins' live guards. {@link PluginHttp.swap} puts it in service, {@link PluginHttp.discard} drops it.
   * @throws the errors of {@link PluginHttp.mount}
   */
  stage(runtime: PluginRuntime, alongside?: readonly StagedMount[]): Promise<StagedMount>;
  /**
   * Puts staged generations in service in one synchronous step: each replaces its plugin's live routes and
   * guards (if any), answering at once when `active`. Requests already dispatched to a replaced generation
   * finish there (drain it through its `plugin`, then {@link PluginHttp.retire} it). On a route conflict
   * nothing changes.
   * @throws ModuError `MODU_HTTP_ROUTE_CONFLICT`, `MODU_HTTP_ALREADY_MOUNTED`
   */
  swap(staged: readonly StagedMount[], active: boolean): void;
  /**
   * Takes a generation out of service if it is live, and releases its guard and controller instances: the last
   * step of a generation, once its requests have drained.
   */
  retire(staged: StagedMount): void;
  /** Routes of `name` start answering. @throws ModuError `MODU_HTTP_NOT_MOUNTED` */
  activate(name: string): void;
  /** Routes of `name` answer 503 problem (not 404) until activated again; a no-op for a plugin not mounted. */
  deactivate(name: string): void;
  /** Resolves when `name` has no request in flight, or after `timeoutMs`. */
  drain(name: string, timeoutMs: number): Promise<void>;
  /** Removes exactly the routes and guards `name` owns. */
  unmount(name: string): void;
  /** Dispatch: undefined when no route matches the path at all. */
  readonly handler: NeutralHandler;
  /** The live route table. */
  routes(): readonly RouteInfo[];
  /** This layer's Prometheus registry (requests per route, latency, breaker state). */
  readonly metrics: Registry;
}

/** Options of {@link createPluginHttp}. */
export interface PluginHttpOptions {
  /** Largest JSON body read from a request (default 1 MiB). */
  readonly bodyLimitBytes?: number;
  /** Per-plugin circuit breaker settings. */
  readonly breaker?: BreakerOptions;
  /** The host's logger: mounts and unmounts are logged at debug level. Plugins' errors go to their own loggers. */
  readonly logger?: Logger;
  /** The host endpoints' prefix, reserved: no plugin prefix may overlap it (default `/_modu`). */
  readonly hostPrefix?: string;
}

/** One generation's routes, guards and controllers, compiled: staged, then live once swapped in. */
export interface StagedMount {
  readonly plugin: MountedPlugin;
  readonly routes: readonly CompiledRoute[];
  readonly scope: ClassScope;
  readonly guards: readonly GuardEntry[];
  /** The prefix its routes live under: owned by the plugin once swapped in. */
  readonly prefix: string;
}

type Mount = StagedMount;

function notMounted(name: string): ModuError {
  return new ModuError('MODU_HTTP_NOT_MOUNTED', `Plugin '${name}' has no routes mounted; mount it first.`, {
    details: { plugin: name },
  });
}

function conflict(route: CompiledRoute, held: CompiledRoute): ModuError {
  const owners =
    held.plugin.name === route.plugin.name
      ? `'${held.plugin.name}' twice`
      : `'${held.plugin.name}' and '${route.plugin.name}'`;
  return new ModuError(
    'MODU_HTTP_ROUTE_CONFLICT',
    `Route ${route.method} ${route.path} is claimed by ${owners}; change one path or prefix.`,
    { details: { method: route.method, path: route.path, owner: held.plugin.name, claimant: route.plugin.name } },
  );
}

/** The HTTP layer: a route trie, a guard registry and an ownership map of what each plugin mounted. */
class PluginRouteTable implements PluginHttp {
  readonly #trie = new RouteTrie<CompiledRoute>();
  readonly #guards = new GuardRegistry();
  readonly #mounts = new Map<string, Mount>();
  readonly #prefixes: PrefixOwnership;
  readonly #options: PluginHttpOptions;
  readonly handler: NeutralHandler;
  readonly metrics: Registry;

  constructor(options: PluginHttpOptions) {
    this.#options = options;
    this.#prefixes = new PrefixOwnership(options.hostPrefix ?? '/_modu');
    this.handler = createDispatch(this.#trie, options.bodyLimitBytes ?? 1_048_576);
    this.metrics = createHttpMetrics(
      () => [...this.#mounts.values()].flatMap((mount) => mount.routes),
      () => [...this.#mounts.values()].map((mount) => mount.plugin),
    );
  }

  async mount(runtime: PluginRuntime): Promise<void> {
    if (this.#mounts.has(runtime.name)) {
      throw new ModuError(
        'MODU_HTTP_ALREADY_MOUNTED',
        `Plugin '${runtime.name}' is already mounted; unmount it first.`,
        {
          details: { plugin: runtime.name },
        },
      );
    }
    const staged = await this.stage(runtime);
    if (this.#mounts.has(runtime.name)) {
      this.retire(staged);
      throw new ModuError(
        'MODU_HTTP_ALREADY_MOUNTED',
        `Plugin '${runtime.name}' was mounted twice at once; mount it once.`,
        {
          details: { plugin: runtime.name },
        },
      );
    }
    try {
      this.swap([staged], false);
    } catch (error) {
      this.retire(staged);
      throw error;
    }
  }

  async stage(runtime: PluginRuntime, alongside: readonly StagedMount[] = []): Promise<StagedMount> {
    const plugin = new MountedPlugin(runtime, this.#options.breaker);
    const scope = new ClassScope(runtime);
    const prefix = pluginPrefix(runtime);
    try {
      // A plugin whose prefix overlaps another's builds nothing.
      this.#prefixes.check(runtime.name, prefix);
      const guards = await declareGuards(runtime, scope, plugin);
      const others = alongside.flatMap((staged) => staged.guards);
      const compiler = this.#guards.stage(runtime, guards, others);
      const routes = await compileRoutes(runtime, plugin, scope, compiler);
      return { plugin, routes, scope, guards, prefix };
    } catch (error) {
      this.#release(scope);
      throw error;
    }
  }

  swap(staged: readonly StagedMount[], active: boolean): void {
    // Prefixes first: on an overlap nothing changes. (A swap is synchronous, so the checks of `stage` still hold.)
    const restorePrefixes = this.#prefixes.claimAll(
      staged.map((next) => ({ owner: next.plugin.name, prefix: next.prefix })),
    );
    const retired = staged.flatMap((next) => this.#mounts.get(next.plugin.name) ?? []);
    const wasActive = retired.map((old) => old.plugin.active);
    for (const old of retired) this.#takeOut(old);
    try {
      this.#addRoutes(staged.flatMap((next) => next.routes));
    } catch (error) {
      for (const [at, old] of retired.entries()) this.#putBack(old, wasActive[at] === true);
      restorePrefixes();
      throw error;
    }
    for (const next of staged) {
      this.#guards.commit(next.plugin.name, next.guards);
      this.#mounts.set(next.plugin.name, next);
      next.plugin.active = active;
    }
    const names = staged.map((next) => next.plugin.name);
    this.#options.logger?.debug({ plugins: names, replaced: retired.length }, 'plugin routes mounted');
  }

  retire(staged: StagedMount): void {
    if (this.#mounts.get(staged.plugin.name) === staged) {
      this.#takeOut(staged);
      this.#prefixes.release(staged.plugin.name);
    }
    this.#release(staged.scope);
  }

  /** Takes a live mount's routes and guards out (the first half of a swap). */
  #takeOut(mount: Mount): void {
    mount.plugin.active = false;
    for (const route of mount.routes) this.#trie.remove(route.method, route.path, route);
    this.#guards.removeOwner(mount.plugin.name);
    this.#mounts.delete(mount.plugin.name);
  }

  /** Puts a mount taken out back as it was (a swap that met a conflict). */
  #putBack(mount: Mount, active: boolean): void {
    for (const route of mount.routes) this.#trie.add(route.method, route.path, route);
    this.#guards.commit(mount.plugin.name, mount.guards);
    this.#mounts.set(mount.plugin.name, mount);
    mount.plugin.active = active;
  }

  activate(name: string): void {
    const mount = this.#mounts.get(name);
    if (mount === undefined) throw notMounted(name);
    mount.plugin.active = true;
  }

  deactivate(name: string): void {
    const mount = this.#mounts.get(name);
    if (mount !== undefined) mount.plugin.active = false;
  }

  drain(name: string, timeoutMs: number): Promise<void> {
    return this.#mounts.get(name)?.plugin.drain(timeoutMs) ?? Promise.resolve();
  }

  unmount(name: string): void {
    const mount = this.#mounts.get(name);
    if (mount === undefined) return;
    this.#takeOut(mount);
    this.#prefixes.release(name);
    this.#release(mount.scope);
    this.#options.logger?.debug({ plugin: name }, 'plugin routes unmounted');
  }

  routes(): readonly RouteInfo[] {
    return [...this.#mounts.values()].flatMap((mount) => mount.routes.map(routeInfo));
  }

  /** Adds every route or, on a conflict, none. */
  #addRoutes(routes: readonly CompiledRoute[]): void {
    const added: CompiledRoute[] = [];
    for (const route of routes) {
      const held = this.#trie.add(route.method, route.path, route);
      if (held !== undefined) {
        for (const done of added) this.#trie.remove(done.method, done.path, done);
        throw conflict(route, held);
      }
      added.push(route);
    }
  }

  /** Drops the guard and controller instances built for a plugin (their deactivation hooks run). */
  #release(scope: ClassScope): void {
    scope
      .release()
      .catch((error: unknown) => this.#options.logger?.warn({ err: error }, 'releasing plugin HTTP classes failed'));
  }
}

/**
 * Creates the HTTP layer the loader mounts plugins on; adapters serve its `handler`.
 *
 * @example const http = createPluginHttp(); await http.mount(runtime); http.activate(runtime.name);
 */
export function createPluginHttp(options: PluginHttpOptions = {}): PluginHttp {
  return new PluginRouteTable(options);
}
