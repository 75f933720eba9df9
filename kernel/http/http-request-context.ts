import type { Logger, PluginContext, Principal, RequestContext } from '../authoring/plugin-definition.js';
import { ownToken } from '../container/bind-service.js';
import { RequestScope } from '../container/request-scope.js';
import { ModuError } from '../errors/modu-error.js';
import {
  ArrayIsArray,
  ArrayPrototypeSlice,
  NULL_PROTOTYPE,
  ObjectCreate,
  ObjectFreeze,
  ObjectKeys,
  ReflectApply,
  SafeMap,
} from '../primordials.js';
import type { MountedPlugin } from './mounted-plugin.js';
import type { NeutralRequest } from './neutral.js';
import { principalSnapshot } from './principal-snapshot.js';

type Fields = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A frozen, null-prototype copy of a header or query record (list values copied and frozen too). */
function frozenFields(source: Fields): Fields {
  const copy = ObjectCreate(NULL_PROTOTYPE) as Record<string, string | readonly string[] | undefined>;
  const keys = ObjectKeys(source);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const value = source[key];
    copy[key] = ArrayIsArray(value) ? ObjectFreeze(ArrayPrototypeSlice(value)) : value;
  }
  return ObjectFreeze(copy);
}

/**
 * What one request's guards and handler share, whoever owns them: the request, its parameters, the body once read,
 * and the principal a guard set. Everything else a context offers (services, config, logger) is its owner's.
 */
export class RequestState {
  principal: Principal | undefined = undefined;
  body: unknown = undefined;
  /** Set when a guard threw: the failure is its owner's, not the route's. */
  guardFailed = false;
  /** True while the guard chain runs: the only time `ctx.principal` may be set. */
  guarding = false;
  readonly params: Readonly<Record<string, string>>;
  readonly #views = new SafeMap<string, HttpRequestContext>();
  #headers: Fields | undefined = undefined;
  #query: Fields | undefined = undefined;

  constructor(
    readonly request: NeutralRequest,
    params: Record<string, string>,
  ) {
    this.params = ObjectFreeze(params);
  }

  /** The request's headers as plugins see them: a frozen copy, made on first use, never the adapter's object. */
  get headers(): Fields {
    this.#headers ??= frozenFields(this.request.headers);
    return this.#headers;
  }

  /** The query, copied and frozen like {@link headers}. */
  get query(): Readonly<Record<string, string | readonly string[]>> {
    this.#query ??= frozenFields(this.request.query);
    return this.#query as Readonly<Record<string, string | readonly string[]>>;
  }

  /** The context for code owned by `owner` (the route's plugin, or a guard's owner): one per owner per request. */
  viewFor(owner: MountedPlugin): HttpRequestContext {
    let view = this.#views.get(owner.name);
    if (view === undefined) {
      view = new HttpRequestContext(owner, this);
      this.#views.set(owner.name, view);
    }
    return view;
  }

  /** Ends the request: disposes the request-scoped services every view built. */
  async end(): Promise<void> {
    const ending: Array<Promise<void>> = [];
    this.#views.forEach((view) => {
      const done = HttpRequestContext.end(view);
      if (done !== undefined) ending.push(done);
    });
    for (let i = 0; i < ending.length; i++) await ending[i];
  }
}

/**
 * The context one plugin's code sees during a request: the shared request and principal, and its own services,
 * config and logger. Request-scoped services resolve through a per-request child container of its owner's, made on
 * first use. Its prototype has no parent and no constructor and is frozen: no plugin can change what another
 * plugin's context does, or walk from it to a host class.
 */
export class HttpRequestContext implements RequestContext {
  readonly plugin: string;
  readonly version: string;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly #mounted: MountedPlugin;
  readonly #state: RequestState;
  #scope: RequestScope | undefined = undefined;

  constructor(mounted: MountedPlugin, state: RequestState) {
    this.#mounted = mounted;
    this.#state = state;
    this.plugin = mounted.name;
    this.version = mounted.version;
    this.method = state.request.method;
    this.path = state.request.path;
    this.params = state.params;
    // Frozen: plugin code shares nothing it could rewrite for the next reader (private fields stay writable).
    ObjectFreeze(this);
  }

  get headers(): Readonly<Record<string, string | readonly string[] | undefined>> {
    return this.#state.headers;
  }

  get body(): unknown {
    return this.#state.body;
  }

  /** Starts undefined; only a guard sets it, and every view of the request sees it. */
  get principal(): Principal | undefined {
    return this.#state.principal;
  }

  /** @throws ModuError `MODU_GUARD_PRINCIPAL_INVALID` outside a guard, or for a value that is no principal. */
  set principal(value: Principal | undefined) {
    if (!this.#state.guarding) {
      throw new ModuError(
        'MODU_GUARD_PRINCIPAL_INVALID',
        `Plugin '${this.#mounted.name}' set ctx.principal outside a guard; only guards establish who is calling.`,
        { details: { plugin: this.#mounted.name } },
      );
    }
    this.#state.principal = principalSnapshot(value, this.#mounted.name);
  }

  get query(): Readonly<Record<string, string | readonly string[]>> {
    return this.#state.query;
  }

  /** Read lazily: adapters create the AbortSignal only when someone asks for it. */
  get signal(): AbortSignal {
    return this.#state.request.signal;
  }

  get config(): PluginContext['config'] {
    return this.#mounted.context.config;
  }

  get logger(): Logger {
    return this.#mounted.context.logger;
  }

  // Arrow properties, like the hook context's: `handler: ({ use, params }) => …` destructures safely.
  readonly use = <T>(token: unknown): T => {
    const own = ownToken(this.plugin, token);
    if (typeof own === 'string' && this.#mounted.requestServices.has(own)) return this.#requestScope().get<T>(own);
    return this.#mounted.context.use<T>(token as string);
  };

  readonly useAsync = <T>(token: unknown): Promise<T> => {
    const own = ownToken(this.plugin, token);
    if (typeof own === 'string' && this.#mounted.requestServices.has(own)) return this.#requestScope().getAsync<T>(own);
    return this.#mounted.context.useAsync<T>(token as string);
  };

  readonly has = (token: unknown): boolean => {
    const own = ownToken(this.plugin, token);
    return (
      (typeof own === 'string' && this.#mounted.requestServices.has(own)) || this.#mounted.context.has(token as string)
    );
  };

  #requestScope(): RequestScope {
    this.#scope ??= new RequestScope(this.#mounted.container, this.#mounted.requestServices, this);
    return this.#scope;
  }

  /** Disposes a view's request-scoped services, if any were built (static: not a member plugin code can call). */
  static end(view: HttpRequestContext): Promise<void> | undefined {
    const logger = view.#mounted.context.logger;
    return view.#scope?.dispose((error) =>
      ReflectApply(logger.error, logger, [{ err: error }, 'request-scoped service dispose failed']),
    );
  }
}

// The prototype's getters stay (they read private fields, so they work on no other object); its link to
// Object.prototype and its `constructor` go, and it is frozen.
Reflect.deleteProperty(HttpRequestContext.prototype, 'constructor');
Reflect.setPrototypeOf(HttpRequestContext.prototype, null);
ObjectFreeze(HttpRequestContext.prototype);
