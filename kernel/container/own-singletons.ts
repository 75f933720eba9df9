import type { PluginContext } from '../authoring/plugin-definition.js';
import { isThenable } from '../is-thenable.js';
import { ObjectHasOwn, SafeMap } from '../primordials.js';
import type { Disposables } from './disposables.js';
import type { PluginService } from './plugin-services.js';

/**
 * The value and factory singletons of a plugin whose container builds no class that injects by token (see
 * injectsByToken): each built here once, by its factory, on first use (the load uses them all), without the container
 * library's planning and resolution. What a factory built is tracked for disposal, as the library's activation would.
 * A singleton asked for while its factory is still running (it needs itself through others) is an error; one whose
 * asynchronous factory is pending is waited for, so that concurrent users share one build.
 */
export class OwnSingletons {
  readonly #context: () => PluginContext;
  readonly #disposables: Disposables;
  readonly #services = new SafeMap<string, PluginService>();
  readonly #built = new SafeMap<string, unknown>();
  /** Singletons whose factory is running (sync) or whose promise is pending (async). */
  readonly #building = new SafeMap<string, Promise<unknown> | undefined>();

  constructor(context: () => PluginContext, disposables: Disposables) {
    this.#context = context;
    this.#disposables = disposables;
  }

  add(service: PluginService): void {
    this.#services.set(service.token, service);
  }

  has(token: string): boolean {
    return this.#services.has(token);
  }

  /** The singleton, built now if needed. @throws when its factory is running, or is asynchronous */
  get(token: string): unknown {
    if (this.#built.has(token)) return this.#built.get(token);
    const value = this.#start(token);
    if (isThenable(value)) throw new Error(`${token} is built asynchronously; use useAsync() for it`);
    return value;
  }

  /** The singleton, built now if needed, its factory's promise awaited. @throws when its factory is running */
  async getAsync(token: string): Promise<unknown> {
    if (this.#built.has(token)) return this.#built.get(token);
    return await this.#start(token);
  }

  /** Forgets every singleton once the plugin is unloaded: none is handed out or built again (disposal is Disposables'). */
  clear(): void {
    this.#built.clear();
    this.#services.clear();
  }

  #start(token: string): unknown {
    const pending = this.#building.get(token);
    if (pending !== undefined) return pending;
    if (this.#building.has(token)) throw new Error(`${token} is needed while it is being built (a cycle)`);
    const { definition } = this.#services.get(token) as PluginService;
    if (ObjectHasOwn(definition, 'value')) return this.#keep(token, (definition as { value: unknown }).value);
    this.#building.set(token, undefined);
    let made: unknown;
    try {
      made = (definition as { factory: (ctx: PluginContext) => unknown }).factory(this.#context());
    } catch (error) {
      this.#building.delete(token);
      throw error;
    }
    if (!isThenable(made)) {
      this.#building.delete(token);
      return this.#keep(token, this.#disposables.track(definition, made));
    }
    const settled = Promise.resolve(made).then(
      (value) => this.#keep(token, this.#disposables.track(definition, value)),
      (error: unknown) => {
        this.#building.delete(token);
        throw error;
      },
    );
    this.#building.set(token, settled);
    return settled;
  }

  #keep(token: string, value: unknown): unknown {
    this.#building.delete(token);
    this.#built.set(token, value);
    return value;
  }
}
