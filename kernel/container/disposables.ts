import type { ServiceDefinition } from '../authoring/plugin-definition.js';
import { ownValue } from '../primordials.js';

type Disposer = () => unknown;

/**
 * How an instance releases what it holds: the definition's `dispose` option, else `Symbol.asyncDispose`, else
 * `Symbol.dispose`; undefined when it has nothing to release.
 */
export function disposerOf(definition: ServiceDefinition, instance: unknown): Disposer | undefined {
  const dispose = ownValue<(value: unknown) => unknown>(definition, 'dispose');
  if (typeof dispose === 'function') return () => dispose(instance);
  const target = instance as { [Symbol.asyncDispose]?: () => unknown; [Symbol.dispose]?: () => unknown } | null;
  if (typeof target?.[Symbol.asyncDispose] === 'function') return () => target[Symbol.asyncDispose]?.();
  if (typeof target?.[Symbol.dispose] === 'function') return () => target[Symbol.dispose]?.();
  return undefined;
}

/**
 * The instances one scope created that have something to release (a plugin's container until unload, a request's
 * scope until the response): the one place where a scope's end disposes what it built.
 */
export class Disposables {
  readonly #disposers: Disposer[] = [];

  /** Remembers `instance` when it has something to release; returns it unchanged (an activation handler). */
  track<T>(definition: ServiceDefinition, instance: T): T {
    const dispose = disposerOf(definition, instance);
    if (dispose !== undefined) this.#disposers.push(dispose);
    return instance;
  }

  /** Disposes every tracked instance, newest first, past errors; resolves to the errors met. */
  async disposeAll(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (const dispose of this.#disposers.splice(0).reverse()) {
      try {
        await dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}
