import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRuntime } from './plugin-runtime.js';
import type { PluginPhase, PluginSnapshot, PluginState } from './plugin-snapshot.js';

/** What every record holds, whatever the plugin's state. */
interface RecordBase {
  readonly name: string;
  readonly root: string;
  readonly required: boolean;
  /** Milliseconds spent per phase so far; the table adds to it, the record never changes otherwise. */
  readonly durations: Partial<Record<PluginPhase, number>>;
}

/** The states in which a plugin's code is in: a live generation with its runtime. */
export type LiveState = 'loaded' | 'starting' | 'started' | 'stopping' | 'stopped' | 'unloading';

/** A plugin read from disk whose code is not in: found, loading, or unloaded. */
export interface IdleRecord extends RecordBase {
  readonly state: 'discovered' | 'loading' | 'unloaded';
  readonly pkg: PluginPackage;
}

/** A plugin whose code is in, with the runtime of its live generation. */
export interface LiveRecord extends RecordBase {
  readonly state: LiveState;
  readonly pkg: PluginPackage;
  readonly runtime: PluginRuntime;
}

/** A plugin that failed, or was skipped for a dependency; a folder that never gave a package has no `pkg`. */
export interface FailedRecord extends RecordBase {
  readonly state: 'failed' | 'skipped';
  readonly pkg: PluginPackage | undefined;
  readonly failure: NonNullable<PluginSnapshot['failure']>;
}

/**
 * The kernel's record of one plugin, a union by state: only a live record has a runtime and only a failed or
 * skipped one a failure. Records are immutable; the table replaces a plugin's record on each transition.
 */
export type PluginRecord = IdleRecord | LiveRecord | FailedRecord;

/** Whether the plugin's code is in (it has a runtime). */
export function isLive(record: PluginRecord | undefined): record is LiveRecord {
  return record !== undefined && 'runtime' in record;
}

/** Every state, for the transition table. */
export type { PluginState };

/** A frozen, JSON-safe copy of a record. */
export function snapshotOf(record: PluginRecord): PluginSnapshot {
  return {
    name: record.name,
    version: record.pkg?.manifest.version,
    root: record.root,
    state: record.state,
    durations: { ...record.durations },
    ...('failure' in record ? { failure: record.failure } : {}),
    required: record.required,
  };
}
