/** Bounds on one plugin scan: no input makes the scanner run long or read without limit. */
export interface ScanLimits {
  /** Largest JavaScript file scanned, in bytes; a larger one is a `file-too-large` finding. */
  readonly maxFileBytes: number;
  /** Largest total of JavaScript bytes in a plugin; past it the rest is a `plugin-too-large` finding. */
  readonly maxPluginBytes: number;
  /** Most files and folders walked in a plugin. */
  readonly maxEntries: number;
  /** Budget per file and MiB of source (parse and walk), in milliseconds; smaller files get the whole budget. */
  readonly fileTimeMs: number;
  /** Budget for the whole plugin, in milliseconds. */
  readonly pluginTimeMs: number;
}

/**
 * The limits used when a caller gives none: generous for real plugins, small enough to bound an attack. The largest
 * file sets the scan's peak memory (its syntax tree, on each worker thread at once) and the plugin total its time:
 * `npm run bench -- scanner-memory` measures both for the largest plugin these allow.
 */
export const DEFAULT_SCAN_LIMITS: ScanLimits = {
  maxFileBytes: 2 * 1024 * 1024,
  maxPluginBytes: 16 * 1024 * 1024,
  maxEntries: 20_000,
  fileTimeMs: 2_000,
  pluginTimeMs: 30_000,
};
