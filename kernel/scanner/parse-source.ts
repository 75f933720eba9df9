import { type ESTree, type Options, parse } from 'meriyah';

/** How a file is parsed: `module` (ESM), `script` (CommonJS) or `unknown` (try ESM, fall back to script). */
export type SourceType = 'module' | 'script' | 'unknown';

/** A parsed file and the goal it parsed under. */
export interface ParsedSource {
  readonly ast: ESTree.Program;
  readonly sourceType: 'module' | 'script';
}

// The start offset of every node, where findings point (end offsets cost parse time and nothing reads them),
// and Annex B syntax that Node accepts (HTML-like comments in scripts, sloppy-mode function declarations in `if`).
const BASE: Options = { ranges: { start: true }, webcompat: true };
const MODULE: Options = { ...BASE, sourceType: 'module' };
// `commonjs` is the script goal inside Node's module wrapper: top-level `return` and `new.target` are allowed.
const SCRIPT: Options = { ...BASE, sourceType: 'commonjs' };

/**
 * Parses with meriyah as ESM, or as a CommonJS script when ESM fails or the file is `.cjs`; a hashbang line is
 * skipped under both goals. Throws meriyah's ParseError (a SyntaxError with `start`) when neither goal parses,
 * and RangeError on input nested beyond the stack.
 */
export function parseSource(code: string, sourceType: SourceType): ParsedSource {
  if (sourceType !== 'script') {
    try {
      return { ast: parse(code, MODULE), sourceType: 'module' };
    } catch (error) {
      // Too deep for the stack as ESM is too deep as a script too (a RangeError): do not parse it twice.
      if (sourceType === 'module' || !(error instanceof SyntaxError)) throw error;
    }
  }
  return { ast: parse(code, SCRIPT), sourceType: 'script' };
}
