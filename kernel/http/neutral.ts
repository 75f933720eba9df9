import type { Readable } from 'node:stream';

/**
 * A framework-neutral HTTP request. Adapters build one from Express or Koa; the kernel's route
 * table, the host endpoints and the registry's HTTP API all answer it.
 */
export interface NeutralRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Decoded path without the query string, always starting with `/`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The socket's peer address (never a forwarded-for header). */
  readonly remoteAddress: string | undefined;
  /** The raw body, unread. */
  readonly body: Readable;
  /** Set when host middleware (such as express.json()) already parsed the body. */
  readonly parsedBody?: unknown;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

/** A framework-neutral HTTP response; adapters write it out as it is. */
export interface NeutralResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** Nothing, text, bytes or a stream (piped, with backpressure). */
  readonly body: undefined | string | Uint8Array | Readable;
}

/**
 * Answers a request, or resolves to `undefined` when the request is not its own, so that the
 * adapter passes it on to the framework's next middleware.
 */
export type NeutralHandler = (request: NeutralRequest) => Promise<NeutralResponse | undefined>;
