import type { Logger, PluginContext, Principal, RequestContext } from '../authoring/plugin-definition.js';
import { ownToken } from '../container/bind-service.js';
import { RequestScope } from '../container/request-scope.js';
import type { MountedPlugin } from './mounted-plugin.js';
import type { NeutralRequest } from './neutral.js';

/**
 * The context one request's guards and handler see. Request-scoped services resolve through a
 * per-request child container that exists only once such a service is used.
 */
export class HttpRequestContext implements RequestContext {
  readonly plugin: string;
  readonly version: string;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  body: unknown;
  /** Starts undefined; only a guard sets it. */
  principal: Principal | undefined = undefined;
  readonly #mounted: MountedPlugin;
  readonly #request: NeutralRequest;
  #scope: RequestScope | undefined = undefined;

  constructor(mounted: MountedPlugin, request: NeutralRequest, params: Record<string, string>) {
    this.#mounted = mounted;
    this.plugin = mounted.name;
    this.version = mounted.version;
    this.method = request.method;
    this.path = request.path;
    this.params = params;
    this.headers = request.headers;
    this.#request = request;
    this.body = undefined;
  }

  get query(): Readonly<Record<string, string | readonly string[]>> {
    return this.#request.query;
  }

  /** Read lazily: adapters create the AbortSignal only when someone asks for it. */
  get signal(): AbortSignal {
    return this.#request.signal;
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

  /** Ends the request: disposes its request-scoped services, if any were built. */
  end(): Promise<void> | undefined {
    return this.#scope?.dispose((error) => this.logger.error({ err: error }, 'request-scoped service dispose failed'));
  }
}
