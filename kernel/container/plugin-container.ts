import { Container, type ServiceIdentifier } from 'inversify';
import type { PluginContext, ServiceLookup, Token } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { ObjectHasOwn, SafeMap, SafeSet } from '../primordials.js';
import { bindService, ownToken } from './bind-service.js';
import { Disposables } from './disposables.js';
import { OwnSingletons } from './own-singletons.js';
import type { PluginService } from './plugin-services.js';

/**
 * A service a plugin may use from one of its dependencies: the token and the container that owns it, or the value it
 * resolves to: a singleton its owner built at load (the one instance the owner's container would hand out), or a
 * test double standing in for it (see `createTestKernel`).
 */
export type ServiceImport =
  | { readonly token: string; readonly from: Container }
  | { readonly token: string; readonly value: unknown };

/** Explains why `token` is not visible to the plugin (which dependency or export is missing). */
export type VisibilityExplainer = (token: string) => ModuError;

/**
 * One plugin's child Inversify container. It binds the plugin's own services under
 * `<plugin>/<Service>` and the exported services of its declared dependencies, and nothing else;
 * it resolves with coded errors and tracks every instance it creates so that unloading disposes
 * them (Inversify's own deactivation only covers singletons).
 */
export class PluginContainer implements ServiceLookup {
  readonly container: Container;
  readonly #plugin: string;
  readonly #explain: VisibilityExplainer;
  readonly #disposables = new Disposables();
  /** The string tokens bound here on purpose (own services, dependencies' exports): the visibility decision. */
  readonly #visible = new SafeSet<string>();
  /** Whether classes built by the container library may inject by token (see injectsByToken). */
  readonly #injects: boolean;
  /** Imported values kept out of the container when nothing injects them: `use`, `useAsync` and `has` answer them. */
  readonly #values = new SafeMap<string, unknown>();
  /** Its value and factory singletons when nothing injects them, built without the container library. */
  #own: OwnSingletons | undefined;

  constructor(root: Container, plugin: string, explain: VisibilityExplainer, injects = true) {
    this.container = new Container({ parent: root, defaultScope: 'Singleton' });
    this.#plugin = plugin;
    this.#explain = explain;
    this.#injects = injects;
  }

  /** Binds the plugin's services, each also under its bare name where classes inject; factories receive `context`. */
  bindServices(services: readonly PluginService[], context: () => PluginContext): void {
    if (!this.#injects) this.#own = new OwnSingletons(context, this.#disposables);
    for (const service of services) {
      // Request-scoped services live in a per-request child container that the HTTP layer builds.
      if (service.scope === 'request') continue;
      if (this.#own !== undefined && service.scope === 'singleton') {
        this.#own.add(service);
        this.#visible.add(service.token);
        continue;
      }
      const lifetime = service.scope === 'transient' ? 'transient' : 'singleton';
      bindService(this.container, service, context, this.#disposables, lifetime, this.#injects);
      this.#visible.add(service.token);
    }
  }

  /** Makes dependencies' exported services resolvable here, built by their owners' containers. */
  bindImports(imports: readonly ServiceImport[]): void {
    for (const entry of imports) {
      this.#visible.add(entry.token);
      const value = ObjectHasOwn(entry, 'value');
      if (value && !this.#injects) {
        this.#values.set(entry.token, (entry as { value: unknown }).value);
        continue;
      }
      const to = this.container.bind(entry.token);
      if (value) to.toConstantValue((entry as { value: unknown }).value);
      else to.toDynamicValue(() => (entry as { from: Container }).from.get(entry.token));
    }
  }

  /**
   * Builds every singleton now, so that a missing or broken dependency fails the load, not a request. A constant
   * (`{ value }`) has nothing to build. Resolves to the singletons (constants included) by token.
   */
  async instantiate(services: readonly PluginService[]): Promise<Map<string, unknown>> {
    const singletons = new SafeMap<string, unknown>();
    for (const service of services) {
      if (service.scope !== 'singleton') continue;
      const { definition, token } = service;
      const value = ObjectHasOwn(definition, 'value')
        ? (definition as { value: unknown }).value
        : await this.useAsync(token);
      singletons.set(token, value);
    }
    return singletons;
  }

  has(token: Token | ServiceIdentifier): boolean {
    const own = ownToken(this.#plugin, token);
    if (typeof own === 'string' && !this.#visible.has(own)) return false;
    return this.#holds(own) || this.container.isBound(own as ServiceIdentifier);
  }

  /** Resolves a token; a name without `/` is one of the plugin's own services. */
  use<T>(name: Token<T> | ServiceIdentifier<T>): T {
    const token = ownToken(this.#plugin, name);
    this.#assertVisible(token);
    if (this.#values.has(token as string)) return this.#values.get(token as string) as T;
    try {
      if (this.#own?.has(token as string)) return this.#own.get(token as string) as T;
      return this.container.get<T>(token as ServiceIdentifier<T>);
    } catch (cause) {
      throw this.#resolveFailed(token, cause);
    }
  }

  async useAsync<T>(name: Token<T> | ServiceIdentifier<T>): Promise<T> {
    const token = ownToken(this.#plugin, name);
    this.#assertVisible(token);
    if (this.#values.has(token as string)) return this.#values.get(token as string) as T;
    try {
      if (this.#own?.has(token as string)) return (await this.#own.getAsync(token as string)) as T;
      return await this.container.getAsync<T>(token as ServiceIdentifier<T>);
    } catch (cause) {
      throw this.#resolveFailed(token, cause);
    }
  }

  /** Disposes what this container created, newest first; returns the errors instead of stopping at one. */
  async dispose(): Promise<unknown[]> {
    const errors = await this.#disposables.disposeAll();
    this.#values.clear();
    this.#own?.clear();
    await this.container.unbindAllAsync().catch((error: unknown) => errors.push(error));
    return errors;
  }

  #assertVisible(token: unknown): void {
    // The host's own set decides first, so a replaced prototype method inside the container library cannot widen it.
    if (
      typeof token === 'string' &&
      !(this.#visible.has(token) && (this.#holds(token) || this.container.isBound(token)))
    ) {
      throw this.#explain(token);
    }
  }

  /** True for a service answered here rather than by the container library: an imported value, an own singleton. */
  #holds(token: unknown): boolean {
    return typeof token === 'string' && (this.#values.has(token) || this.#own?.has(token) === true);
  }

  #resolveFailed(token: unknown, cause: unknown): ModuError {
    if (ModuError.is(cause)) return cause;
    const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new ModuError(
      'MODU_CONTAINER_RESOLVE_FAILED',
      `Plugin '${this.#plugin}' could not build ${String(token)}: ${message}`,
      {
        details: { plugin: this.#plugin, token: String(token) },
        cause,
      },
    );
  }
}
