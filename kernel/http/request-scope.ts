import { Container } from 'inversify';
import type { Newable, PluginContext, ServiceDefinition } from '../authoring/plugin-definition.js';
import type { PluginService } from '../container/plugin-services.js';
import { ObjectHasOwn, SafeMap } from '../primordials.js';

/** A service declared with `scope: 'request'`: built once per request, disposed when it ends. */
export interface RequestService {
  readonly token: string;
  readonly definition: ServiceDefinition & { readonly scope: 'request' };
}

/** The request-scoped services among a plugin's services, by token. */
export function requestServices(services: readonly PluginService[]): ReadonlyMap<string, RequestService> {
  const found = new SafeMap<string, RequestService>();
  for (const { token, scope, definition } of services) {
    if (scope === 'request') found.set(token, { token, definition: definition as RequestService['definition'] });
  }
  return found;
}

/**
 * One request's services: a child of the plugin's container created on first use, where each
 * request-scoped service is bound as a singleton (so: one instance per request). Factories get the
 * request context. `dispose()` calls each service's `dispose` when the request ends.
 */
export class RequestScope {
  readonly #container: Container;
  readonly #built: Array<() => void | Promise<void>> = [];

  constructor(parent: Container, services: ReadonlyMap<string, RequestService>, ctx: PluginContext) {
    this.#container = new Container({ parent });
    for (const { token, definition } of services.values()) {
      const track = (instance: unknown) => {
        const dispose = (definition as { dispose?: unknown }).dispose as
          | ((value: unknown) => void | Promise<void>)
          | undefined;
        if (dispose !== undefined) this.#built.push(() => dispose(instance));
        return instance;
      };
      const bound = ObjectHasOwn(definition, 'class')
        ? this.#container.bind(token).to((definition as { class: Newable }).class)
        : this.#container
            .bind(token)
            .toDynamicValue(() => (definition as { factory: (c: PluginContext) => unknown }).factory(ctx));
      bound.inSingletonScope().onActivation((_context, instance) => track(instance));
    }
  }

  get<T>(token: string): T {
    return this.#container.get<T>(token);
  }

  getAsync<T>(token: string): Promise<T> {
    return this.#container.getAsync<T>(token);
  }

  /** Disposes what this request built, in reverse order; errors go to `onError`. */
  async dispose(onError: (error: unknown) => void): Promise<void> {
    for (const dispose of this.#built.reverse()) {
      try {
        await dispose();
      } catch (error) {
        onError(error);
      }
    }
  }
}
