import { type Options, type Program, parse } from 'acorn';

/** How a file is parsed: `module` (ESM), `script` (CommonJS) or `unknown` (try ESM, fall back to script). */
export type SourceType = 'module' | 'script' | 'unknown';

/** A parsed file and the goal it parsed under. */
export interface ParsedSource {
  readonly ast: Program;
  readonly sourceType: 'module' | 'script';
}

/**
 * Parses with acorn as ESM, or as a CommonJS script (top-level `return`, hashbang) when ESM fails or the
 * file is `.cjs`. Throws acorn's SyntaxError (with `pos`) when neither goal parses, and RangeError on input
 * nested beyond the stack.
 */
export function parseSource(code: string, sourceType: SourceType): ParsedSource {
  const base: Options = { ecmaVersion: 'latest', allowHashBang: true };
  if (sourceType !== 'script') {
    try {
      return { ast: parse(code, { ...base, sourceType: 'module' }), sourceType: 'module' };
    } catch (error) {
      // Too deep for the stack as ESM is too deep as a script too: do not parse it twice.
      const tooDeep = error instanceof SyntaxError && error.message.includes('stack space');
      if (sourceType === 'module' || !(error instanceof SyntaxError) || tooDeep) throw error;
    }
  }
  const ast = parse(code, { ...base, sourceType: 'script', allowReturnOutsideFunction: true });
  return { ast, sourceType: 'script' };
}
