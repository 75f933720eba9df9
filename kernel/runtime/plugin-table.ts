import { EventEmitter } from 'node:events';
import { ModuError } from '../errors/modu-error.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import { errorReport } from './error-report.js';
import { type FailedRecord, isLive, type LiveRecord, type PluginRecord, snapshotOf } from './plugin-record.js';
import type { PluginRuntime } from './plugin-runtime.js';
import type { PluginPhase, PluginSnapshot, PluginState } from './plugin-snapshot.js';
import { assertTransition, invalidTransition } from './state-transitions.js';

/** Emitted on every state change of a plugin. */
export interface PluginStateChange {
  readonly plugin: string;
  readonly from: PluginState;
  readonly to: PluginState;
  readonly snapshot: PluginSnapshot;
}

/** The events a kernel emits. */
export interface KernelEvents {
  state: [PluginStateChange];
}

/** States a plugin reaches with its code in, other than `loaded` (which brings the runtime). */
type LiveStep = 'starting' | 'started' | 'stopping' | 'stopped' | 'unloading';
/** States a plugin reaches without code in. */
type IdleStep = 'discovered' | 'loading' | 'unloaded';

/**
 * Every plugin the kernel knows, by name. Each state change goes through the transition table
 * (see stateTransitions), replaces the plugin's record and is emitted as a `state` event.
 */
export class PluginTable {
  readonly events = new EventEmitter<KernelEvents>();
  readonly #records = new Map<string, PluginRecord>();
  /** Told of every failure with the error itself (its stack included), which snapshots keep only as a report. */
  onFailure: ((record: PluginRecord, error: unknown) => void) | undefined = undefined;

  /**
   * Adds the record of a plugin read from disk, in state `discovered`; a plugin known already (unloaded, failed or
   * skipped) goes back to `discovered` with its new package, through the transition table.
   */
  add(pkg: PluginPackage, required: boolean): PluginRecord {
    const name = pkg.manifest.name;
    if (this.#records.has(name)) return this.idle(name, 'discovered', pkg);
    const record: PluginRecord = { name, root: pkg.root, pkg, required, state: 'discovered', durations: {} };
    this.#records.set(name, record);
    return record;
  }

  /** Adds a plugin that failed before it became a package (discovery or manifest), and emits the change. */
  addFailed(name: string, root: string, phase: PluginPhase, error: unknown): PluginRecord {
    const failure = { phase, error: errorReport(error) };
    const record: FailedRecord = {
      name,
      root,
      pkg: undefined,
      required: false,
      state: 'failed',
      durations: {},
      failure,
    };
    this.#records.set(name, record);
    this.onFailure?.(record, error);
    this.#emit('discovered', record);
    return record;
  }

  get(name: string): PluginRecord | undefined {
    return this.#records.get(name);
  }

  records(): PluginRecord[] {
    return [...this.#records.values()];
  }

  /** Snapshots of every record, by name in code-unit order (as in the waves), whatever the locale. */
  snapshot(): PluginSnapshot[] {
    return this.records()
      .map(snapshotOf)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Moves a plugin without code in to `to`. @throws ModuError `MODU_LIFECYCLE_TRANSITION_INVALID` */
  idle(name: string, to: IdleStep, pkg?: PluginPackage): PluginRecord {
    const from = this.#current(name);
    assertTransition(name, from.state, to);
    const next = pkg ?? from.pkg;
    if (next === undefined) throw invalidTransition(name, from.state, to, 'its folder never gave a plugin package');
    const { required, durations } = from;
    return this.#set(from.state, { name, root: next.root, required, durations, state: to, pkg: next });
  }

  /** Moves a loading plugin to `loaded` with the runtime of its generation. */
  loaded(name: string, runtime: PluginRuntime): LiveRecord {
    const from = this.#current(name);
    assertTransition(name, from.state, 'loaded');
    const { root, required, durations, pkg } = from;
    if (pkg === undefined) throw invalidTransition(name, from.state, 'loaded', 'it has no plugin package');
    const record: LiveRecord = { name, root, required, durations, state: 'loaded', pkg, runtime };
    this.#set(from.state, record);
    return record;
  }

  /** Moves a plugin with code in to `to`, keeping its runtime. @throws ModuError `MODU_LIFECYCLE_TRANSITION_INVALID` */
  live(name: string, to: LiveStep): LiveRecord {
    const from = this.#current(name);
    assertTransition(name, from.state, to);
    if (!isLive(from)) throw invalidTransition(name, from.state, to, 'its code is not in');
    const record: LiveRecord = { ...from, state: to };
    this.#set(from.state, record);
    return record;
  }

  /** Swaps a started plugin's runtime for a new generation's: a reload, not a state change. */
  swap(name: string, runtime: PluginRuntime): void {
    const from = this.#current(name);
    if (from.state !== 'started' || !isLive(from)) {
      throw invalidTransition(name, from.state, 'started', 'only a started plugin swaps generations');
    }
    this.#records.set(name, { ...from, runtime });
  }

  /** Marks a plugin `failed` (or `skipped`) in `phase` with `error`, and emits the change. */
  fail(name: string, phase: PluginPhase, error: unknown, to: 'failed' | 'skipped' = 'failed'): void {
    const from = this.#current(name);
    assertTransition(name, from.state, to);
    const { root, required, durations, pkg } = from;
    const failure = { phase, error: errorReport(error) };
    const record: PluginRecord = { name, root, required, durations, state: to, pkg, failure };
    this.#records.set(name, record);
    this.onFailure?.(record, error);
    this.#emit(from.state, record);
  }

  /** Runs `work` as `phase` of a plugin and adds the time it took to the plugin's durations. */
  async timed<T>(name: string, phase: PluginPhase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      const durations = this.#records.get(name)?.durations;
      if (durations !== undefined) durations[phase] = (durations[phase] ?? 0) + (performance.now() - started);
    }
  }

  #current(name: string): PluginRecord {
    const record = this.#records.get(name);
    if (record === undefined) {
      throw new ModuError('MODU_LOADER_PLUGIN_NOT_FOUND', `No plugin named ${name} is known to this kernel.`, {
        details: { plugin: name },
      });
    }
    return record;
  }

  #set(from: PluginState, record: PluginRecord): PluginRecord {
    this.#records.set(record.name, record);
    this.#emit(from, record);
    return record;
  }

  #emit(from: PluginState, record: PluginRecord): void {
    this.events.emit('state', { plugin: record.name, from, to: record.state, snapshot: snapshotOf(record) });
  }
}
