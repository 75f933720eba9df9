import { Container } from 'inversify';
import type { PluginContext } from '../authoring/plugin-definition.js';
import { SafeMap } from '../primordials.js';
import { bindService } from './bind-service.js';
import { Disposables } from './disposables.js';
import type { PluginService } from './plugin-services.js';

/** The request-scoped services among a plugin's services, by token. */
export function requestServices(services: readonly PluginService[]): ReadonlyMap<string, PluginService> {
  const found = new SafeMap<string, PluginService>();
  for (const service of services) if (service.scope === 'request') found.set(service.token, service);
  return found;
}

/**
 * One request's services: a child of the plugin's container created on first use, where each request-scoped
 * service is bound as a singleton (so: one instance per request). Factories get the request context. The end of the
 * request disposes what it built, as unloading disposes a plugin's singletons (same rules: `dispose` option,
 * `Symbol.asyncDispose`, `Symbol.dispose`).
 */
export class RequestScope {
  readonly #container: Container;
  readonly #disposables = new Disposables();

  constructor(parent: Container, services: ReadonlyMap<string, PluginService>, ctx: PluginContext) {
    this.#container = new Container({ parent });
    for (const service of services.values())
      bindService(this.#container, service, () => ctx, this.#disposables, 'singleton');
  }

  get<T>(token: string): T {
    return this.#container.get<T>(token);
  }

  getAsync<T>(token: string): Promise<T> {
    return this.#container.getAsync<T>(token);
  }

  /** Disposes what this request built, newest first; errors go to `onError`. */
  async dispose(onError: (error: unknown) => void): Promise<void> {
    for (const error of await this.#disposables.disposeAll()) onError(error);
  }
}
