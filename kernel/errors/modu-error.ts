import { errorSpec } from './catalogue.js';

const brand = Symbol.for('modu.error');

/** Machine-readable data attached to an error: a cycle as a list, a JSON pointer, a plugin name. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * Every catalogued error code, as keys. Each area's catalogue adds its own codes by declaration merging (see
 * kernel-errors.ts), so that a misspelt code given to ModuError is a compile error.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in each area's catalogue.
export interface ErrorCodes {}

/** A catalogued error code. */
export type ErrorCode = keyof ErrorCodes & string;

export interface ModuErrorOptions {
  readonly details?: ErrorDetails;
  readonly hint?: string;
  readonly cause?: unknown;
}

/**
 * The one error class of Modu: a stable `code` (`MODU_<AREA>_<WHAT>`), a message naming the plugin,
 * file or field, machine `details`, and a `hint` telling the reader what to do next.
 *
 * Message style (one for logs, CLI output and HTTP problem details; test/error-message-style.test.ts enforces it): one
 * or more sentences that name their subject first, starting with a capital letter (`Plugin 'users' …`,
 * `No plugin named …`) or with the subject itself when it is a name or path (`${file} is not valid YAML …`),
 * never with a `subject: ` prefix, and ending with a period. A cause or a list of problems may end it after a
 * colon (`… failed: ${cause.message}`, `… fix each one:\n${lines}`), and then brings its own ending.
 *
 * Recognise it with {@link ModuError.is}, which works across duplicate copies of the package.
 *
 * @example
 * throw new ModuError('MODU_GRAPH_CYCLE', 'Dependency cycle a -> b -> a.', { details: { cycle: ['a', 'b', 'a'] } });
 */
export class ModuError extends Error {
  readonly code: string;
  readonly details: ErrorDetails;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: ModuErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ModuError';
    this.code = code;
    this.details = options.details ?? {};
    this.hint = options.hint ?? errorSpec(code)?.hint;
    Object.defineProperty(this, brand, { value: true });
  }

  /** The HTTP status the code maps to (500 for a code no catalogue defines). */
  get status(): number {
    return errorSpec(this.code)?.status ?? 500;
  }

  /** True for a ModuError from any copy of the package. */
  static is(value: unknown): value is ModuError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  /** A plain, JSON-safe view without the stack: for reports, logs and problem responses. */
  toJSON(): { code: string; message: string; details: ErrorDetails; hint?: string } {
    return {
      code: this.code,
      message: this.message,
      details: this.details,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
    };
  }
}
