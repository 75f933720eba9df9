import { Container, type ServiceIdentifier } from 'inversify';
import type { Newable, PluginContext, ServiceLookup, Token } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { ObjectHasOwn, ownValue, SafeSet } from '../primordials.js';
import type { PluginService } from './plugin-services.js';

/** A service a plugin may use from one of its dependencies: the token and the container that owns it. */
export interface ServiceImport {
  readonly token: string;
  readonly from: Container;
}

/** Explains why `token` is not visible to the plugin (which dependency or export is missing). */
export type VisibilityExplainer = (token: string) => ModuError;

interface Created {
  readonly instance: unknown;
  readonly service: PluginService;
}

function disposerOf(service: PluginService, instance: unknown): (() => unknown) | undefined {
  const { definition } = service;
  const dispose = ownValue<(value: unknown) => unknown>(definition, 'dispose');
  if (typeof dispose === 'function') return () => dispose(instance);
  const target = instance as { [Symbol.asyncDispose]?: () => unknown; [Symbol.dispose]?: () => unknown } | null;
  if (typeof target?.[Symbol.asyncDispose] === 'function') return () => target[Symbol.asyncDispose]?.();
  if (typeof target?.[Symbol.dispose] === 'function') return () => target[Symbol.dispose]?.();
  return undefined;
}

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
  readonly #created: Created[] = [];
  /** The string tokens bound here on purpose (own services, dependencies' exports): the visibility decision. */
  readonly #visible = new SafeSet<string>();

  constructor(root: Container, plugin: string, explain: VisibilityExplainer) {
    this.container = new Container({ parent: root, defaultScope: 'Singleton' });
    this.#plugin = plugin;
    this.#explain = explain;
  }

  /** Binds the plugin's services; factories receive `context`. */
  bindServices(services: readonly PluginService[], context: () => PluginContext): void {
    for (const service of services) {
      const { definition, token } = service;
      // Request-scoped services live in a per-request child container that the HTTP layer builds.
      if (service.scope === 'request') continue;
      const to = this.container.bind(token);
      this.#visible.add(token);
      if (ObjectHasOwn(definition, 'value')) {
        to.toConstantValue((definition as { value: unknown }).value);
        continue;
      }
      const bound = ObjectHasOwn(definition, 'class')
        ? to.to((definition as { class: Newable }).class)
        : to.toDynamicValue(() => (definition as { factory: (c: PluginContext) => unknown }).factory(context()));
      if (service.scope === 'singleton') bound.inSingletonScope();
      else bound.inTransientScope();
      // Only what has something to release is tracked, so transient services cannot pile up.
      this.container.onActivation(token, (_ctx, instance) => {
        if (disposerOf(service, instance) !== undefined) this.#created.push({ instance, service });
        return instance;
      });
    }
  }

  /** Makes dependencies' exported services resolvable here, built by their owners' containers. */
  bindImports(imports: readonly ServiceImport[]): void {
    for (const { token, from } of imports) {
      this.#visible.add(token);
      this.container.bind(token).toDynamicValue(() => from.get(token));
    }
  }

  /**
   * Builds every singleton now, so that a missing or broken dependency fails the load, not a request. A constant
   * (`{ value }`) has nothing to build.
   */
  async instantiate(services: readonly PluginService[]): Promise<void> {
    for (const service of services) {
      if (service.scope === 'singleton' && !ObjectHasOwn(service.definition, 'value'))
        await this.useAsync(service.token);
    }
  }

  has(token: Token | ServiceIdentifier): boolean {
    if (typeof token === 'string' && !this.#visible.has(token)) return false;
    return this.container.isBound(token as ServiceIdentifier);
  }

  use<T>(token: Token<T> | ServiceIdentifier<T>): T {
    this.#assertVisible(token);
    try {
      return this.container.get<T>(token as ServiceIdentifier<T>);
    } catch (cause) {
      throw this.#resolveFailed(token, cause);
    }
  }

  async useAsync<T>(token: Token<T> | ServiceIdentifier<T>): Promise<T> {
    this.#assertVisible(token);
    try {
      return await this.container.getAsync<T>(token as ServiceIdentifier<T>);
    } catch (cause) {
      throw this.#resolveFailed(token, cause);
    }
  }

  /** Disposes what this container created, newest first; returns the errors instead of stopping at one. */
  async dispose(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const { service, instance } of this.#created.splice(0).reverse()) {
      try {
        await disposerOf(service, instance)?.();
      } catch (error) {
        errors.push(error);
      }
    }
    await this.container.unbindAllAsync().catch((error: unknown) => errors.push(error));
    return errors;
  }

  #assertVisible(token: unknown): void {
    // The host's own set decides first, so a replaced prototype method inside the container library cannot widen it.
    if (typeof token === 'string' && !(this.#visible.has(token) && this.container.isBound(token))) {
      throw this.#explain(token);
    }
  }

  #resolveFailed(token: unknown, cause: unknown): ModuError {
    if (ModuError.is(cause)) return cause;
    const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    return new ModuError(
      'MODU_CONTAINER_RESOLVE_FAILED',
      `${this.#plugin}: ${String(token)} could not be built: ${message}`,
      {
        details: { plugin: this.#plugin, token: String(token) },
        cause,
      },
    );
  }
}
