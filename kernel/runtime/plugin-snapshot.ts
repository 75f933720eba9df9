import type { IsolationReport } from '../isolation/isolated-plugin.js';

/** Where a plugin is in its life. `failed` and `skipped` carry a reason. */
export type PluginState =
  | 'discovered'
  | 'loading'
  | 'loaded'
  | 'starting'
  | 'started'
  | 'stopping'
  | 'stopped'
  | 'unloading'
  | 'unloaded'
  | 'failed'
  | 'skipped';

/** The lifecycle phases a plugin goes through; a failure names one. */
export type PluginPhase = 'discover' | 'validate' | 'resolve' | 'load' | 'start' | 'stop' | 'unload';

/** A JSON-safe error as reports and endpoints show it: code, message, details, and the cause chain. */
export interface ErrorReport {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly hint?: string;
  readonly cause?: ErrorReport;
}

/** One plugin as the kernel sees it now: for the boot report, `/_modu/plugins` and the CLI. */
export interface PluginSnapshot {
  readonly name: string;
  readonly version: string | undefined;
  readonly root: string;
  readonly state: PluginState;
  /** Milliseconds spent per phase so far. */
  readonly durations: Readonly<Partial<Record<PluginPhase, number>>>;
  /** Set when state is `failed` (the phase that failed and the error) or `skipped` (the reason). */
  readonly failure?: { readonly phase: PluginPhase; readonly error: ErrorReport };
  readonly required: boolean;
  /** Set for a plugin running in its own process (`isolation: process`): pid, restarts, its permissions. */
  readonly isolation?: IsolationReport;
}
