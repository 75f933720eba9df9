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

/**
 * How a file the scan read may load: as an ES module or a CommonJS script (the goal it was scanned under), as JSON
 * data, or as a binary (a native addon or WebAssembly, loaded only when the capability it needs is granted).
 */
export type ApprovedGoal = 'module' | 'script' | 'json' | 'binary';

/** A file the scan read: the sha256 of what it read (the UTF-8 text; the bytes of a binary) and how it may load. */
export interface ApprovedFile {
  readonly sha256: string;
  readonly goal: ApprovedGoal;
}

/** A plugin's scan: the findings and the capabilities its code needs. */
export interface ScanReport {
  /** sha256 over every scanned file's path and content: the cache key. */
  readonly contentHash: string;
  readonly files: number;
  readonly bytes: number;
  readonly findings: readonly ScanFinding[];
  /**
   * Every file the scan read, by path relative to the plugin root: the module gate loads these and only these, and
   * only with the content they had when they were read.
   */
  readonly approved?: Readonly<Record<string, ApprovedFile>>;
  /** Capabilities the code uses, sorted. */
  readonly capabilities: readonly string[];
  /** True when the report was read from the scan cache instead of computed. */
  readonly fromCache?: boolean;
}
