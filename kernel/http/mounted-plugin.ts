import type { Container } from 'inversify';
import type { PluginContext } from '../authoring/plugin-definition.js';
import type { PluginService } from '../container/plugin-services.js';
import { requestServices } from '../container/request-scope.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import type { BreakerOptions } from './circuit-breaker.js';

/**
 * A plugin as the HTTP layer holds it: its context, whether it answers, requests in flight, and the settings of the
 * breakers of its routes and guards (one each).
 */
export class MountedPlugin {
  readonly name: string;
  readonly version: string;
  readonly context: PluginContext;
  readonly container: Container;
  readonly requestServices: ReadonlyMap<string, PluginService>;
  readonly breakerOptions: BreakerOptions;
  active = false;
  #inFlight = 0;
  #idle: Array<() => void> = [];

  constructor(runtime: PluginRuntime, breaker: BreakerOptions | undefined) {
    this.name = runtime.name;
    this.version = runtime.version;
    this.context = runtime.context;
    this.container = runtime.container;
    this.requestServices = requestServices(runtime.services);
    this.breakerOptions = breaker ?? {};
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  enter(): void {
    this.#inFlight++;
  }

  leave(): void {
    this.#inFlight--;
    if (this.#inFlight === 0 && this.#idle.length > 0) {
      const waiting = this.#idle;
      this.#idle = [];
      for (const resolve of waiting) resolve();
    }
  }

  /** Resolves when no request is in flight, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void> {
    if (this.#inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      timer.unref();
      const idle = this.#idle;
      function done() {
        clearTimeout(timer);
        const at = idle.indexOf(done);
        if (at >= 0) idle.splice(at, 1);
        resolve();
      }
      idle.push(done);
    });
  }
}
