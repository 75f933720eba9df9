import type { Options } from 'acorn';
import { FileWalk, type RawFinding, ScanDeadline } from './file-walk.js';
import { type ParsedSource, parseSource, type SourceType } from './parse-source.js';
import { ruleCapability, SCAN_RULES } from './scan-rules.js';
import type { ScanFinding } from './scan-types.js';

/** Where the source comes from and how to read it. */
export interface ScanSourceOptions {
  /** Path relative to the plugin root, with forward slashes; findings name it and relative imports resolve from it. */
  readonly file: string;
  /** Defaults from the extension: `.cjs` script, `.mjs` module, else try module then script. */
  readonly sourceType?: SourceType;
  /** Time budget for the walk, in milliseconds (default 1000). Parsing is bounded by the caller's size limit. */
  readonly timeBudgetMs?: number;
}

function defaultSourceType(file: string): SourceType {
  if (file.endsWith('.cjs')) return 'script';
  if (file.endsWith('.mjs')) return 'module';
  return 'unknown';
}

/** Collects identifiers whose source text differs from their name: they were written with `\u` escapes. */
function escapeWatcher(found: RawFinding[]): Options['onToken'] {
  return (token) => {
    const label = token.type.label;
    const value = (token as { value?: unknown }).value;
    if ((label === 'name' || label === 'privateId') && typeof value === 'string') {
      const written = token.end - token.start - (label === 'privateId' ? 1 : 0);
      if (written !== value.length) {
        found.push({
          rule: 'unicode-escape',
          start: token.start,
          message: `identifier '${value}' is written with Unicode escapes`,
        });
      }
    }
  };
}

function positions(code: string): (offset: number) => { line: number; column: number } {
  const starts = [0];
  for (const match of code.matchAll(/\r\n?|\n|\u2028|\u2029/g)) starts.push((match.index ?? 0) + match[0].length);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (starts[low] ?? 0) + 1 };
  };
}

function isModuleDeclaration(node: { type: string }): boolean {
  return node.type.startsWith('Import') || node.type.startsWith('Export');
}

/** Parses, or records why the file could not be parsed and returns undefined. */
function parseOrReport(code: string, requested: SourceType, found: RawFinding[]): ParsedSource | undefined {
  const onToken = code.includes('\\u') ? escapeWatcher(found) : undefined;
  try {
    return parseSource(code, requested, onToken);
  } catch (error) {
    // acorn turns its own stack overflow into a SyntaxError; both mean the input nests too deep.
    if (error instanceof RangeError || (error instanceof SyntaxError && error.message.includes('stack space'))) {
      found.push({ rule: 'too-complex', start: 0, message: 'nesting too deep to parse' });
    } else if (error instanceof SyntaxError) {
      const pos = (error as SyntaxError & { pos?: number }).pos ?? 0;
      found.push({ rule: 'parse-error', start: pos, message: `does not parse as ESM or CommonJS: ${error.message}` });
    } else throw error;
    return undefined;
  }
}

function walkFile(code: string, options: ScanSourceOptions, found: RawFinding[]): void {
  const deadline = performance.now() + (options.timeBudgetMs ?? 1000);
  const requested = options.sourceType ?? defaultSourceType(options.file);
  const parsed = parseOrReport(code, requested, found);
  if (parsed === undefined) return;
  // A .js file that parses as ESM still runs as CommonJS unless it has import or export declarations.
  const script =
    parsed.sourceType === 'script' || (requested !== 'module' && !parsed.ast.body.some(isModuleDeclaration));
  const walk = new FileWalk(options.file, script, deadline);
  try {
    walk.run(parsed.ast);
  } catch (error) {
    if (error instanceof ScanDeadline) walk.add('scan-timeout', { start: 0 }, 'the scan time budget ran out');
    else if (error instanceof RangeError) walk.add('too-complex', { start: 0 }, 'nesting too deep to analyse');
    else throw error;
  } finally {
    found.push(...walk.found);
  }
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
  const found: RawFinding[] = [];
  walkFile(code, options, found);
  if (found.length === 0) return [];
  const at = positions(code);
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.start - b.start)
    .filter((raw) => !seen.has(`${raw.rule}@${raw.start}`) && seen.add(`${raw.rule}@${raw.start}`) !== undefined)
    .map((raw) => {
      const capability = raw.capability ?? ruleCapability(raw.rule);
      return {
        rule: raw.rule,
        ...(capability === undefined ? {} : { capability }),
        severity: SCAN_RULES[raw.rule].severity,
        file: options.file,
        ...at(raw.start),
        message: raw.message,
      };
    });
}
