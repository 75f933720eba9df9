import type { IsolationReport } from '../isolation/isolated-plugin.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRuntime } from './plugin-runtime.js';
import type { PluginPhase, PluginSnapshot, PluginState } from './plugin-snapshot.js';

/** The kernel's mutable bookkeeping for one plugin; everything outside sees {@link PluginSnapshot}s. */
export interface PluginRecord {
  readonly name: string;
  pkg: PluginPackage | undefined;
  root: string;
  state: PluginState;
  durations: Partial<Record<PluginPhase, number>>;
  failure: PluginSnapshot['failure'];
  required: boolean;
  runtime: PluginRuntime | undefined;
  /** The process tier's report of an isolated plugin (pid, restarts, permissions), read when snapshotted. */
  isolation?: (() => IsolationReport) | undefined;
}

/** A frozen, JSON-safe copy of a record. */
export function snapshotOf(record: PluginRecord): PluginSnapshot {
  return {
    name: record.name,
    version: record.pkg?.manifest.version,
    root: record.root,
    state: record.state,
    durations: { ...record.durations },
    ...(record.failure === undefined ? {} : { failure: record.failure }),
    required: record.required,
    ...(record.isolation === undefined ? {} : { isolation: record.isolation() }),
  };
}
