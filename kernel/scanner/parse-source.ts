import { type ESTree, isParseError, type Options, parse } from 'meriyah';

/**
 * The goal a file is parsed under, as Node picks it: `module` (ESM: `.mjs`, or `.js` under `"type": "module"`),
 * `script` (CommonJS: `.cjs`, or `.js` under `"type": "commonjs"`), or `detect` (a `.js` file with no `type`: Node
 * compiles it as CommonJS and runs it as ESM only when that fails on module syntax). `unknown` is `detect`.
 */
export type SourceType = 'module' | 'script' | 'detect' | 'unknown';

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

/** A file that parses under no goal Node would try, with the error of the goal that read furthest. */
export class GoalSyntaxError extends SyntaxError {
  constructor(
    readonly goal: 'module' | 'script',
    readonly start: number,
    readonly description: string,
  ) {
    super(description);
  }
}

function parseAs(code: string, goal: 'module' | 'script'): ParsedSource {
  try {
    return { ast: parse(code, goal === 'module' ? MODULE : SCRIPT), sourceType: goal };
  } catch (error) {
    if (isParseError(error)) throw new GoalSyntaxError(goal, error.start, error.description);
    throw error;
  }
}

/**
 * Parses with meriyah under the goal Node uses, never the other one first: `module` and `script` as given, and
 * `detect` as a script first and as a module only when the script goal fails, as Node's syntax detection does. A
 * hashbang line is skipped under both goals. Throws {@link GoalSyntaxError} when no goal Node would try parses,
 * and RangeError on input nested beyond the stack.
 */
export function parseSource(code: string, sourceType: SourceType): ParsedSource {
  if (sourceType === 'module' || sourceType === 'script') return parseAs(code, sourceType);
  try {
    return parseAs(code, 'script');
  } catch (scriptError) {
    // Too deep for the stack as a script is too deep as a module too (a RangeError): do not parse it twice.
    if (!(scriptError instanceof GoalSyntaxError)) throw scriptError;
    try {
      return parseAs(code, 'module');
    } catch (moduleError) {
      // Node reports the goal it got furthest with: the module's error for ESM with a typo, else the script's.
      if (moduleError instanceof GoalSyntaxError && moduleError.start > scriptError.start) throw moduleError;
      throw scriptError;
    }
  }
}
