import { FileWalk, ScanDeadline } from './file-walk.js';
import type { MethodRetargets } from './method-retargets.js';
import { GoalSyntaxError, type ParsedSource, parseSource, type SourceType } from './parse-source.js';
import type { RawFinding } from './root-tracker.js';
import { ruleCapability, SCAN_RULES } from './scan-rules.js';
import type { ScanFinding } from './scan-types.js';
import { declaresTscMetadataHelper, tscDecorateHelper } from './tsc-metadata.js';

/** Where the source comes from and how to read it. */
export interface ScanSourceOptions {
  /** Path relative to the plugin root, with forward slashes; findings name it and relative imports resolve from it. */
  readonly file: string;
  /**
   * The goal Node uses for the file (see {@link SourceType}); defaults from the extension alone: `.cjs` script,
   * `.mjs` module, else `detect`. A plugin scan gives it from the nearest package.json `type` too.
   */
  readonly sourceType?: SourceType;
  /** Time budget for the walk, in milliseconds (default 1000). Parsing is bounded by the caller's size limit. */
  readonly timeBudgetMs?: number;
}

function defaultSourceType(file: string): SourceType {
  if (file.endsWith('.cjs')) return 'script';
  if (file.endsWith('.mjs')) return 'module';
  return 'detect';
}

/** Line and column (1-based) of each offset, ascending, counting line breaks as ECMAScript does. */
function positions(code: string, offsets: readonly number[]): Array<{ line: number; column: number }> {
  const breaks = /\r\n?|[\n\u2028\u2029]/g;
  let line = 1;
  let lineStart = 0;
  let next = breaks.exec(code);
  return offsets.map((offset) => {
    while (next !== null && next.index < offset) {
      line++;
      lineStart = next.index + next[0].length;
      next = breaks.exec(code);
    }
    return { line, column: offset - lineStart + 1 };
  });
}

const GOAL_NAMES = { module: 'an ES module', script: 'a CommonJS script' } as const;

/** Parses, or records why the file could not be parsed and returns undefined. */
function parseOrReport(code: string, requested: SourceType, found: RawFinding[]): ParsedSource | undefined {
  try {
    return parseSource(code, requested);
  } catch (error) {
    if (error instanceof RangeError) {
      found.push({ rule: 'too-complex', start: 0, message: 'nesting too deep to parse' });
    } else if (error instanceof GoalSyntaxError) {
      const message = `SyntaxError as ${GOAL_NAMES[error.goal]}, as Node will run it: ${error.description}`;
      found.push({ rule: 'parse-error', start: error.start, message });
    } else throw error;
    return undefined;
  }
}

/** What a file tells the plugin scan about method receivers (see {@link MethodRetargets}), with sites as line:column. */
export interface FileRetargets {
  /** The first site of each method name the file may call with another receiver. */
  readonly sites: ReadonlyArray<readonly [name: string, line: number, column: number]>;
  /** Names of the file's instance methods that use `this.constructor`. */
  readonly methods: readonly string[];
}

/** Walks one file; returns the goal it parsed under, or undefined when it does not parse. */
function walkFile(
  code: string,
  options: ScanSourceOptions,
  found: RawFinding[],
  retargets: MethodRetargets[],
): 'module' | 'script' | undefined {
  const requested = options.sourceType ?? defaultSourceType(options.file);
  const parsed = parseOrReport(code, requested, found);
  if (parsed === undefined) return undefined;
  const script = parsed.sourceType === 'script';
  const designMetadata = !script && declaresTscMetadataHelper(parsed.ast);
  const decorateHelper = script ? undefined : tscDecorateHelper(parsed.ast);
  // The budget is the walk's: parsing and the helper checks are linear, and bounded by the caller's size limit.
  const deadline = performance.now() + (options.timeBudgetMs ?? 1000);
  const walk = new FileWalk(options.file, code, script, deadline, designMetadata, decorateHelper);
  try {
    walk.run(parsed.ast);
  } catch (error) {
    if (error instanceof ScanDeadline) walk.add('scan-timeout', { start: 0 }, 'the scan time budget ran out');
    else if (error instanceof RangeError) walk.add('too-complex', { start: 0 }, 'nesting too deep to analyse');
    else throw error;
  } finally {
    found.push(...walk.found);
    retargets.push(walk.retargets);
  }
  return parsed.sourceType;
}

/**
 * Scans one JavaScript file (ESM or CommonJS) and returns its findings, sorted by position. A file that does
 * not parse, nests too deep or exhausts its time budget is a finding, never an exception.
 *
 * @example
 * scanSource("const cp = require('child' + '_process')", { file: 'index.js' })
 * // [{ rule: 'import-builtin', capability: 'node:child_process', file: 'index.js', line: 1, column: 12, … }]
 */
export function scanSource(code: string, options: ScanSourceOptions): ScanFinding[] {
  return scanSourceGoal(code, options).findings;
}

/** {@link scanSource}, and the goal the file parsed under (undefined when it does not parse). */
export function scanSourceGoal(
  code: string,
  options: ScanSourceOptions,
): { findings: ScanFinding[]; goal: 'module' | 'script' | undefined; retargets: FileRetargets } {
  const found: RawFinding[] = [];
  const walked: MethodRetargets[] = [];
  const goal = walkFile(code, options, found, walked);
  return { findings: sortedFindings(code, options.file, found), goal, retargets: retargetsOf(code, walked[0]) };
}

function retargetsOf(code: string, walked: MethodRetargets | undefined): FileRetargets {
  if (walked === undefined || (walked.sites.size === 0 && walked.uses.length === 0)) return { sites: [], methods: [] };
  const names = [...walked.sites.keys()];
  const at = positions(
    code,
    [...walked.sites.values()].sort((a, b) => a - b),
  );
  const byStart = new Map([...walked.sites.values()].sort((a, b) => a - b).map((start, i) => [start, at[i]]));
  const sites = names.map((name) => {
    const where = byStart.get(walked.sites.get(name) ?? 0) ?? { line: 1, column: 1 };
    return [name, where.line, where.column] as const;
  });
  return { sites, methods: [...new Set(walked.uses.map((use) => use.method))] };
}

function sortedFindings(code: string, file: string, found: RawFinding[]): ScanFinding[] {
  if (found.length === 0) return [];
  const seen = new Set<string>();
  const unique = found
    .sort((a, b) => a.start - b.start)
    .filter((raw) => !seen.has(`${raw.rule}@${raw.start}`) && seen.add(`${raw.rule}@${raw.start}`) !== undefined);
  const at = positions(
    code,
    unique.map((raw) => raw.start),
  );
  return unique.map((raw, i) => {
    const capability = raw.capability ?? ruleCapability(raw.rule);
    return {
      rule: raw.rule,
      ...(capability === undefined ? {} : { capability }),
      severity: SCAN_RULES[raw.rule].severity,
      file,
      ...(at[i] ?? { line: 1, column: 1 }),
      message: raw.message,
    };
  });
}
