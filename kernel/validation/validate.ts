import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import semver from 'semver';
import { type ErrorCode, ModuError } from '../errors/modu-error.js';
import { withCleanIntrinsics } from './clean-intrinsics.js';
import { nullPrototypeCopy } from './null-prototype-copy.js';

// ajv-formats is CommonJS with a default export; under NodeNext it arrives one level deeper.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Where a value came from, so that a problem can name the file and, where known, the line. */
export interface ValidationSource {
  /** The file (or other origin, such as `environment`) the value was read from. */
  readonly file: string;
  /** Maps a JSON pointer to its position in the file; YAML readers supply it. */
  readonly locate?: (pointer: string) => { readonly line: number; readonly column: number } | undefined;
}

/** One reason a value was rejected. */
export interface ValidationProblem {
  readonly pointer: string;
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
}

// Modu's own schemas are not checked against the meta-schema each time a process starts (compiling the
// meta-schema alone costs tens of milliseconds); checkSchema() checks the schemas that users write.
// `ownProperties`: a key a plugin added to Object.prototype is not a property of the value being checked.
const ajv = new Ajv({
  allErrors: true,
  strict: false,
  useDefaults: true,
  verbose: true,
  validateSchema: false,
  ownProperties: true,
});
addFormats(ajv);
ajv.addFormat('semver', (v: string) => semver.valid(v) !== null);
ajv.addFormat('semver-range', (v: string) => semver.validRange(v) !== null);
const compiledByObject = new WeakMap<object, ValidateFunction>();
const compiledByText = new Map<string, ValidateFunction>();

// Plugin config schemas arrive as fresh objects on every load and reload: keying them by their
// text (and dropping ajv's own object-keyed cache entry) keeps reloads from growing the heap.
function compile(schema: object): ValidateFunction {
  const known = compiledByObject.get(schema);
  if (known !== undefined) return known;
  const text = JSON.stringify(schema);
  let fn = compiledByText.get(text);
  if (fn === undefined) {
    // ajv walks the schema with for…in: a null-prototype copy keeps a polluted Object.prototype out of it.
    const copy = nullPrototypeCopy(schema);
    fn = withCleanIntrinsics(() => {
      const compiled = ajv.compile(copy);
      ajv.removeSchema(copy);
      return compiled;
    });
    compiledByText.set(text, fn);
  }
  compiledByObject.set(schema, fn);
  return fn;
}

/**
 * Compiles one of the host's own schemas now, at import. Every compile and validation runs with the built-ins as the
 * host found them ({@link withCleanIntrinsics}): ajv reads its keyword definitions through ordinary property lookups,
 * so a plugin that polluted Object.prototype would otherwise bend or break another plugin's config schema.
 */
export function precompile(schema: object): void {
  compile(schema);
}

function describe(error: ErrorObject): { pointer: string; message: string } {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    return { pointer: `${error.instancePath}/${String(params.missingProperty)}`, message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    return {
      pointer: `${error.instancePath}/${String(params.additionalProperty)}`,
      message: 'is not a known field; remove it or check its spelling',
    };
  }
  if (error.keyword === 'type' && params.type === 'string' && typeof error.data === 'number') {
    // YAML reads `version: 1.0` as the number 1: the fix is quotes, not another value.
    return {
      pointer: error.instancePath,
      message: `must be a string, but YAML read the number ${error.data}: put the value in quotes (e.g. '1.0.0')`,
    };
  }
  const expected = (error.parentSchema as { description?: unknown } | undefined)?.description;
  const got = error.data === undefined ? '' : ` (got ${JSON.stringify(error.data)?.slice(0, 80)})`;
  // A pattern or format reads better as what it stands for than as a regular expression.
  const plain = typeof expected === 'string' && (error.keyword === 'pattern' || error.keyword === 'format');
  return {
    pointer: error.instancePath,
    message: `${plain ? `must be ${expected}` : (error.message ?? 'is invalid')}${got}`,
  };
}

/** Renders problems as `file:line:column /pointer message` lines. */
export function formatProblems(file: string, problems: readonly ValidationProblem[]): string {
  return problems
    .map((p) => `${file}${p.line === undefined ? '' : `:${p.line}:${p.column ?? 1}`} ${p.pointer || '/'} ${p.message}`)
    .join('\n');
}

/**
 * Checks a JSON Schema written by a user (a plugin's `config`) against the meta-schema, compiles it (once per
 * schema) and returns its validator.
 *
 * @throws ModuError `MODU_CONFIG_SCHEMA_INVALID` naming the source when the schema itself is invalid
 */
export function checkSchema(schema: object, source: ValidationSource): ValidateFunction {
  try {
    const copy = nullPrototypeCopy(schema);
    if (!compiledByObject.has(schema) && !withCleanIntrinsics(() => ajv.validateSchema(copy)))
      throw new Error(ajv.errorsText(ajv.errors));
    return compile(schema);
  } catch (cause) {
    const reason = cause instanceof Error ? `: ${cause.message}` : '';
    throw new ModuError(
      'MODU_CONFIG_SCHEMA_INVALID',
      `${source.file} holds a JSON Schema that is itself invalid${reason}.`,
      {
        details: { file: source.file },
        cause,
      },
    );
  }
}

/**
 * Checks `value` against a JSON Schema (compiled once per schema object; a schema a user wrote passes
 * {@link checkSchema} first) and returns it with schema defaults applied. Every problem is reported at once, each with its JSON pointer and, when the
 * source can locate it, its line.
 *
 * @throws ModuError with `code` (for example `MODU_MANIFEST_INVALID`) and `details.problems`.
 */
export function validate<T>(schema: object, value: unknown, source: ValidationSource, code: ErrorCode): T {
  const check = compile(schema);
  // A null-prototype copy: neither ajv nor the kernel code reading the result sees keys inherited from a polluted
  // Object.prototype, and defaults land in the copy, not in the caller's object.
  // The compiled validator runs as it is, on a null-prototype copy: restoring the built-ins around every call would
  // tax every boot and registry read (`bench/boot.ts`); compiling, where ajv reads its keyword definitions, is guarded.
  const copy = nullPrototypeCopy(value);
  if (check(copy)) return copy as T;
  const problems = withCleanIntrinsics(() =>
    (check.errors ?? []).map((error) => {
      const { pointer, message } = describe(error);
      const position = source.locate?.(pointer) ?? source.locate?.(error.instancePath);
      return { pointer, message, ...position };
    }),
  );
  throw new ModuError(code, `${source.file} is invalid:\n${formatProblems(source.file, problems)}`, {
    details: { file: source.file, problems },
  });
}
