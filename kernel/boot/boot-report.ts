import type { ErrorReport, PluginSnapshot } from '../runtime/plugin-snapshot.js';
import type { RuntimeReport } from '../runtime-report.js';
import type { CriticalPath } from './critical-path.js';

/** What `start()` reports: every plugin's state and timings, the load plan and its critical path. */
export interface BootReport {
  /** True when every plugin started. */
  readonly ok: boolean;
  readonly durationMs: number;
  readonly plugins: readonly PluginSnapshot[];
  readonly waves: readonly (readonly string[])[];
  readonly criticalPath: CriticalPath;
  /** Folders in the plugins folders that hold no plugin (no plugin.yaml). */
  readonly ignored: readonly { readonly folder: string; readonly error: ErrorReport }[];
  /** What the running Node gave: its version, the module hooks, the permission flags, the compile cache. */
  readonly runtime: RuntimeReport;
}

/** What `stop()` reports: each plugin's stop or unload error, if any. */
export interface StopReport {
  readonly ok: boolean;
  readonly durationMs: number;
  readonly errors: readonly { readonly plugin: string; readonly error: ErrorReport }[];
}
