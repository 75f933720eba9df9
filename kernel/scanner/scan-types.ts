/**
 * The contract between the security scanner and its callers (kernel loader, registry publish, CLI).
 * The scanner itself lives beside this file.
 */

/** One thing the scanner found in a plugin's code. */
export interface ScanFinding {
  /** Stable rule id, for example `import-builtin`, `eval`, `computed-require`. */
  readonly rule: string;
  /** The capability the finding needs (`node:fs`, `dynamic-code`, …), when it maps to one. */
  readonly capability?: string;
  /** `error` findings reject the plugin unless the capability is asked for and granted. */
  readonly severity: 'error' | 'warning';
  /** Path relative to the plugin root, with forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

/** A plugin's scan: the findings and the capabilities its code needs. */
export interface ScanReport {
  /** sha256 over every scanned file's path and content: the cache key. */
  readonly contentHash: string;
  readonly files: number;
  readonly bytes: number;
  readonly findings: readonly ScanFinding[];
  /** Capabilities the code uses, sorted. */
  readonly capabilities: readonly string[];
  /** True when the report was read from the scan cache instead of computed. */
  readonly fromCache?: boolean;
}
