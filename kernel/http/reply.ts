const replyBrand = Symbol.for('modu.reply');

/** An explicit response from a handler: status, body and headers. Make one with {@link reply}. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
}

/**
 * Answers with an explicit status and headers; the body is sent like a handler's return value
 * (object → JSON, string → text, Readable → streamed, undefined → empty).
 *
 * @example return reply(201, created, { location: `/users/${created.id}` });
 */
export function reply(
  status: number,
  body?: unknown,
  headers: Readonly<Record<string, string | readonly string[]>> = {},
): Reply {
  const value = { status, body, headers };
  Object.defineProperty(value, replyBrand, { value: true });
  return value;
}

/** True for a value made by {@link reply} in any copy of Modu. */
export function isReply(value: unknown): value is Reply {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[replyBrand] === true;
}
