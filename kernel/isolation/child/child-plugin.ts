import { Readable } from 'node:stream';
import { Container } from 'inversify';
import type { Guard, Logger, PluginDefinition, RequestContext } from '../../authoring/plugin-definition.js';
import { ServiceOwnership } from '../../container/service-ownership.js';
import { ModuError } from '../../errors/modu-error.js';
import { ClassScope, declareGuards } from '../../guards/declare-guards.js';
import { isGuardDenial } from '../../guards/deny.js';
import type { GuardChainCompiler } from '../../guards/guard-registry.js';
import { heldPermissions, missingPermissions } from '../../guards/missing-permissions.js';
import { compileRoutes } from '../../http/compile-routes.js';
import type { CompiledRoute } from '../../http/compiled-route.js';
import { RequestState } from '../../http/http-request-context.js';
import { MountedPlugin } from '../../http/mounted-plugin.js';
import { toNeutralResponse } from '../../http/to-neutral-response.js';
import { type HookName, hookNames } from '../../lifecycle/run-hook.js';
import {
  importPlugin,
  type LoadEnvironment,
  loadPlugin,
  type StagedPlugin,
  stagePlugin,
} from '../../loader/load-plugin.js';
import { moduleGate } from '../../loader/module-gate/module-gate.js';
import type { PluginPackage } from '../../manifest/read-manifest.js';
import type { PluginRuntime } from '../../runtime/plugin-runtime.js';
import type {
  CallRequest,
  GuardAnswer,
  InitRequest,
  InitShape,
  LoadRequest,
  LoadShape,
  RouteAnswer,
  RouteRequest,
  WireRequest,
} from '../isolation-protocol.js';
import { isCallableName, type RemoteCall, serviceProxy } from '../service-proxy.js';
import { toWireError } from '../wire-error.js';
import type { OutgoingStreams } from './outgoing-streams.js';
import { WireNeutralRequest } from './wire-neutral-request.js';

/** How the child reaches the host: a service call of a dependency, answered by the host. */
export type HostCall = (token: string, method: string, args: unknown[]) => Promise<unknown>;

const NEVER = new AbortController().signal;
const NO_GUARD: Guard = { canActivate: () => false };
/** Routes keep their guard names as written: the host compiles and runs the chains. */
const namesOnly = { compile: (names: readonly string[]) => names.map((name) => ({ name, guard: NO_GUARD })) };

function notReady(what: string): ModuError {
  return new ModuError('MODU_ISOLATION_NOT_LOADED', `The plugin process got ${what} before it was loaded.`);
}

/**
 * The plugin inside its process, built by the host's own loader code: its entry imported through the module gate,
 * its services staged and loaded into its own root container (its dependencies' services bound as proxies that call
 * the host), its guards and routes compiled as the host would. It answers the host's requests.
 */
export class ChildPlugin {
  readonly #hostCall: HostCall;
  readonly #logger: Logger;
  readonly #streams: OutgoingStreams;
  readonly #dependencies = new Map<string, PluginRuntime>();
  #staged: StagedPlugin | undefined;
  #env: LoadEnvironment | undefined;
  #runtime: PluginRuntime | undefined;
  #mounted: MountedPlugin | undefined;
  #guards = new Map<string, Guard>();
  #routes: readonly CompiledRoute[] = [];
  /** The requests of the routes running, by the host's id: aborted when the host's client goes away. */
  readonly #running = new Map<number, WireNeutralRequest>();

  constructor(hostCall: HostCall, logger: Logger, streams: OutgoingStreams) {
    this.#hostCall = hostCall;
    this.#logger = logger;
    this.#streams = streams;
  }

  /** Imports and stages the plugin; answers its services and hooks. */
  async init(request: InitRequest): Promise<InitShape> {
    const gate = moduleGate();
    const pkg = request.pkg as PluginPackage;
    await gate.approve(pkg.root, request.scan);
    await gate.admit({ name: pkg.manifest.name, root: pkg.root, granted: request.granted });
    const definition = await importPlugin({ pkg, generation: request.generation }, gate);
    this.#env = {
      rootContainer: new Container(),
      ownership: new ServiceOwnership(),
      code: gate,
      logger: this.#logger,
      runtimeOf: (name) => this.#dependencies.get(name),
    };
    const staged = await stagePlugin({ pkg, config: request.config, granted: request.granted }, definition, this.#env);
    this.#staged = staged;
    return {
      services: staged.services.filter((s) => s.scope !== 'request').map((s) => s.name),
      hooks: hookNames.filter((hook) => typeof definition[hook] === 'function'),
    };
  }

  /** Binds its dependencies' services as proxies to the host, builds its singletons, guards and routes. */
  async load(request: LoadRequest): Promise<LoadShape> {
    const staged = this.#staged;
    const env = this.#env;
    if (staged === undefined || env === undefined) throw notReady('load');
    for (const dependency of request.dependencies) this.#dependencies.set(dependency.name, this.#proxies(dependency));
    const loaded = await loadPlugin(staged, env);
    // Paths stay relative to the plugin's prefix, which the host applies.
    const runtime = { ...loaded.runtime, manifest: { ...loaded.runtime.manifest, routes: { prefix: '/' } } };
    const mounted = new MountedPlugin(runtime, undefined);
    const scope = new ClassScope(runtime);
    const guards = await declareGuards(runtime, scope, mounted);
    const routes = await compileRoutes(runtime, mounted, scope, namesOnly as unknown as GuardChainCompiler);
    this.#runtime = runtime;
    this.#mounted = mounted;
    this.#guards = new Map(guards.map((entry) => [entry.name.slice(runtime.name.length + 1), entry.guard]));
    this.#routes = routes;
    return {
      guards: guards.map((entry) => ({ name: entry.name.slice(runtime.name.length + 1), dependsOn: entry.dependsOn })),
      routes: routes.map((route, index) => ({
        index,
        method: route.method as LoadShape['routes'][number]['method'],
        path: route.path,
        guards: route.chain.map((step) => step.name),
        permissions: route.permissions,
      })),
    };
  }

  #proxies(dependency: LoadRequest['dependencies'][number]): PluginRuntime {
    const container = new Container();
    for (const service of dependency.services) {
      const token = `${dependency.name}/${service}`;
      const call: RemoteCall = (method, args) => this.#hostCall(token, method, args);
      container.bind(token).toConstantValue(serviceProxy(token, call));
    }
    const manifest = { exports: { services: dependency.services } };
    return { name: dependency.name, manifest, container, singletons: new Map() } as unknown as PluginRuntime;
  }

  /** Runs one of its lifecycle hooks; the host enforces the deadline by killing this process. */
  async hook(name: HookName): Promise<void> {
    const staged = this.#staged;
    const hook = (staged?.definition as PluginDefinition | undefined)?.[name];
    if (staged === undefined || hook === undefined) return;
    await hook.call(undefined, { ...staged.context, signal: NEVER });
  }

  /** Calls a method of one of its own services for the host (or, through it, a dependent). */
  async call(request: CallRequest): Promise<unknown> {
    const staged = this.#staged;
    if (staged === undefined) throw notReady('a service call');
    if (!request.token.startsWith(`${staged.context.plugin}/`) || !isCallableName(request.method)) {
      throw new ModuError('MODU_ISOLATION_CALL_INVALID', `${request.token}.${request.method} is not callable here.`);
    }
    const service = (await staged.context.useAsync(request.token)) as Record<string, unknown>;
    const method = service[request.method];
    if (typeof method !== 'function') {
      throw new ModuError('MODU_ISOLATION_CALL_INVALID', `${request.token} has no method ${request.method}.`, {
        details: { token: request.token, method: request.method },
      });
    }
    return await method.apply(service, request.args);
  }

  /** The request's shared state, as the host's guards and permission checks left it. */
  #state(request: WireRequest, neutral = new WireNeutralRequest(request)): RequestState {
    const state = new RequestState(neutral, request.params);
    state.principal = request.principal;
    state.body = request.body;
    return state;
  }

  #mountedPlugin(): MountedPlugin {
    if (this.#mounted === undefined) throw notReady('a request');
    return this.#mounted;
  }

  #guard(name: string): Guard {
    const guard = this.#guards.get(name);
    if (guard === undefined) throw new ModuError('MODU_GUARD_UNKNOWN', `No guard ${name} in this process.`);
    return guard;
  }

  /** Runs one of its guards; the principal it sets goes back to the host. */
  async guard(payload: { name: string; request: WireRequest }): Promise<GuardAnswer> {
    const guard = this.#guard(payload.name);
    const state = this.#state(payload.request);
    const ctx = state.viewFor(this.#mountedPlugin());
    state.guarding = true;
    let verdict: unknown;
    try {
      verdict = await guard.canActivate(ctx as RequestContext);
    } finally {
      state.guarding = false;
    }
    await state.end();
    return { allowed: verdict === true, principal: state.principal, ...denialOf(verdict) };
  }

  /**
   * Runs the guards `names` in order on one request, and then the route's permission check, as the host would; the
   * answer when one of them stops the request, undefined when the handler may run.
   */
  async #guardChain(
    names: readonly string[],
    route: CompiledRoute,
    state: RequestState,
  ): Promise<RouteAnswer | undefined> {
    const ctx = state.viewFor(this.#mountedPlugin()) as RequestContext;
    for (let i = 0; i < names.length; i++) {
      const guard = this.#guard(names[i] as string);
      state.guarding = true;
      let verdict: unknown;
      try {
        verdict = await guard.canActivate(ctx);
      } catch (error) {
        return { principal: state.principal, passed: i, threw: toWireError(error) };
      } finally {
        state.guarding = false;
      }
      if (verdict !== true) return { principal: state.principal, passed: i, ...denialOf(verdict) };
    }
    const { principal } = state;
    const required = route.permissions;
    const held = principal !== undefined && missingPermissions(heldPermissions(principal), required).length === 0;
    return required.length === 0 || held ? undefined : { principal, passed: names.length };
  }

  /** The host's client of route call `id` went away: its handler's `ctx.signal` aborts. */
  abort(id: number): void {
    this.#running.get(id)?.abort();
  }

  /** Runs one of its route handlers (with `guards`, after them and the permission check); a stream body follows in chunks. */
  async route(payload: RouteRequest): Promise<RouteAnswer> {
    const route = this.#routes[payload.index];
    if (route === undefined || this.#runtime === undefined) throw notReady(`route #${payload.index}`);
    const { id, guards } = payload;
    const request = new WireNeutralRequest(payload.request);
    this.#running.set(id, request);
    const state = this.#state(payload.request, request);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.#running.delete(id);
      state.end().catch(() => undefined);
    };
    try {
      const stopped = guards === undefined ? undefined : await this.#guardChain(guards, route, state);
      if (stopped !== undefined) {
        end();
        return stopped;
      }
      const { status, headers, body } = toNeutralResponse(await route.invoke(state.viewFor(this.#mountedPlugin())));
      const principal = guards === undefined ? {} : { principal: state.principal };
      if (body instanceof Readable)
        return { response: { status, headers, stream: this.#streams.open(body, end) }, ...principal };
      end();
      return { response: body === undefined ? { status, headers } : { status, headers, body }, ...principal };
    } catch (error) {
      end();
      throw error;
    }
  }
}

/** A guard's verdict other than `true` as it crosses the boundary: a `deny(401 | 403, reason)` as plain data. */
function denialOf(verdict: unknown): Pick<GuardAnswer, 'denial'> {
  return isGuardDenial(verdict) ? { denial: { status: verdict.status, reason: verdict.reason } } : {};
}
