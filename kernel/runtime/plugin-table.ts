import { EventEmitter } from 'node:events';
import type { PluginPackage } from '../manifest/read-manifest.js';
import { errorReport } from './error-report.js';
import { type PluginRecord, snapshotOf } from './plugin-record.js';
import type { PluginPhase, PluginSnapshot, PluginState } from './plugin-snapshot.js';

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

/**
 * Every plugin the kernel knows, by name, with its state. All state changes go through
 * {@link PluginTable.transition} so that each one is emitted as a `state` event.
 */
export class PluginTable {
  readonly events = new EventEmitter<KernelEvents>();
  readonly #records = new Map<string, PluginRecord>();
  /** Told of every failure with the error itself (its stack included), which snapshots keep only as a report. */
  onFailure: ((record: PluginRecord, error: unknown) => void) | undefined = undefined;

  /** Adds (or replaces, on rediscovery) the record of a plugin, in state `discovered`. */
  add(name: string, root: string, pkg: PluginPackage | undefined, required: boolean): PluginRecord {
    const record: PluginRecord = {
      name,
      root,
      pkg,
      state: 'discovered',
      durations: {},
      failure: undefined,
      required,
      runtime: undefined,
    };
    this.#records.set(name, record);
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

  /** Moves a plugin to `to` and emits the change. */
  transition(record: PluginRecord, to: PluginState): void {
    const from = record.state;
    record.state = to;
    if (to !== 'failed' && to !== 'skipped') record.failure = undefined;
    this.events.emit('state', { plugin: record.name, from, to, snapshot: snapshotOf(record) });
  }

  /** Marks a plugin `failed` (or `skipped`) in `phase` with `error`, and emits the change. */
  fail(record: PluginRecord, phase: PluginPhase, error: unknown, to: 'failed' | 'skipped' = 'failed'): void {
    record.failure = { phase, error: errorReport(error) };
    const from = record.state;
    record.state = to;
    this.onFailure?.(record, error);
    this.events.emit('state', { plugin: record.name, from, to, snapshot: snapshotOf(record) });
  }

  /** Runs `work` as `phase` of a plugin and adds the time it took to the plugin's durations. */
  async timed<T>(record: PluginRecord, phase: PluginPhase, work: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      record.durations[phase] = (record.durations[phase] ?? 0) + (performance.now() - started);
    }
  }
}
