import type { StopReport } from '../boot/boot-report.js';
import { planWaves } from '../graph/plan-waves.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import { errorReport } from '../runtime/error-report.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import type { Generation, PluginLifecycle } from './plugin-lifecycle.js';

/** Stop and unload errors, by plugin. */
export type StopErrors = Array<StopReport['errors'][number]>;

/** What the live generations need: the table, one generation's steps, and how long stopping may drain. */
export interface LiveEnvironment {
  readonly table: PluginTable;
  readonly lifecycle: PluginLifecycle;
  readonly drainMs: (generation: Generation) => number;
}

/** The live generation of every plugin whose code is in, and the steps that take one out: stop, unload, drop. */
export class LiveGenerations {
  readonly #env: LiveEnvironment;
  readonly #live = new Map<string, Generation>();

  constructor(env: LiveEnvironment) {
    this.#env = env;
  }

  has(name: string): boolean {
    return this.#live.has(name);
  }

  get(name: string): Generation | undefined {
    return this.#live.get(name);
  }

  /** The packages of the live generations, except those named. */
  packagesExcept(names: ReadonlySet<string>): PluginPackage[] {
    return [...this.#live.values()].filter((g) => !names.has(g.name)).map((g) => g.pkg);
  }

  /** Makes `next` the live generation of its plugin; returns the one it replaced, if any. */
  replace(next: Generation): Generation | undefined {
    const old = this.#live.get(next.name);
    this.#live.set(next.name, next);
    return old;
  }

  /** Releases a generation that failed to load or start (its state is the caller's), without `onUnload`. */
  async drop(name: string): Promise<void> {
    const live = this.#live.get(name);
    this.#live.delete(name);
    if (live !== undefined) await this.#env.lifecycle.unload(live, { hook: false, releaseCode: true });
  }

  /** Stops, then unloads, `names` in reverse dependency order, each wave in parallel, past errors. */
  async stopAndUnload(names: readonly string[], edges: ReadonlyMap<string, readonly string[]>): Promise<StopErrors> {
    const errors: StopErrors = [];
    const note = (plugin: string, error: unknown) => errors.push({ plugin, error: errorReport(error) });
    const waves = planWaves(names, edges).reverse();
    for (const wave of waves) {
      await Promise.all(
        wave.map(async (name) => {
          const error = await this.stop(name);
          if (error !== undefined) note(name, error);
        }),
      );
    }
    for (const wave of waves) {
      await Promise.all(
        wave.map(async (name) => {
          for (const error of await this.unload(name)) note(name, error);
        }),
      );
    }
    return errors;
  }

  /** Stops a started plugin: routes off, requests drained, `onStop`; resolves to its error, if any. */
  async stop(name: string): Promise<unknown> {
    const { table, lifecycle } = this.#env;
    const live = this.#live.get(name);
    if (live === undefined || table.get(name)?.state !== 'started') return undefined;
    table.live(name, 'stopping');
    const error = await table.timed(name, 'stop', () => lifecycle.retire(live, this.#env.drainMs(live)));
    table.live(name, 'stopped');
    return error;
  }

  /** Unloads a plugin whose code is in: `onUnload`, then everything it holds released; resolves to the errors. */
  async unload(name: string): Promise<unknown[]> {
    const { table, lifecycle } = this.#env;
    const live = this.#live.get(name);
    if (live === undefined) return [];
    table.live(name, 'unloading');
    this.#live.delete(name);
    const errors = await table.timed(name, 'unload', () => lifecycle.unload(live, { hook: true, releaseCode: true }));
    table.idle(name, 'unloaded');
    return errors;
  }
}
