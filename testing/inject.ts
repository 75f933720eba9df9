import { Readable } from 'node:stream';
import {
  composeHandlers,
  type NeutralHandler,
  type NeutralRequest,
  type NeutralResponse,
  notFoundHandler,
} from '../kernel/index.js';

/** A request for {@link inject}: a JSON value (`json`) or a raw body (`body`), never both. */
export interface InjectRequest {
  readonly method?: string;
  /** Path and query: `/todos?done=false`. */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as `application/json`. */
  readonly json?: unknown;
  /** Sent as it is, with the `content-type` header you give. */
  readonly body?: string | Uint8Array;
}

/** What {@link inject} resolves to. */
export interface InjectResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  /** The body as text (empty for none). */
  text(): string;
  /** The body parsed as JSON (`undefined` for none). @throws SyntaxError when it is not JSON */
  json<T = unknown>(): T;
}

function requestBody(request: InjectRequest): { headers: Record<string, string>; bytes: Buffer | undefined } {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  if (request.json !== undefined && request.body !== undefined)
    throw new TypeError('inject: give json or body, not both');
  let bytes: Buffer | undefined;
  if (request.json !== undefined) {
    bytes = Buffer.from(JSON.stringify(request.json));
    headers['content-type'] ??= 'application/json';
  } else if (request.body !== undefined) bytes = Buffer.from(request.body);
  if (bytes !== undefined) headers['content-length'] = String(bytes.length);
  return { headers, bytes };
}

function toNeutral(request: InjectRequest): NeutralRequest {
  const url = new URL(request.url, 'http://modu.test');
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of url.searchParams) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  const { headers, bytes } = requestBody(request);
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    path: decodeURIComponent(url.pathname),
    query,
    headers,
    remoteAddress: '127.0.0.1',
    body: Readable.from(bytes === undefined ? [] : [bytes]),
    signal: new AbortController().signal,
  };
}

async function bodyText(body: NeutralResponse['body']): Promise<string> {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Sends one request through a neutral handler (a kernel's `http`) without a socket: the same pipeline an adapter
 * runs (guards, body limit, permissions, handler, problem responses). An unmatched path answers the 404 problem.
 *
 * @example const res = await inject(kernel.http, { method: 'POST', url: '/todos', json: { title: 'x' } });
 */
export async function inject(handler: NeutralHandler, request: InjectRequest): Promise<InjectResponse> {
  const response = (await composeHandlers(handler, notFoundHandler)(toNeutral(request))) as NeutralResponse;
  const text = await bodyText(response.body);
  const headers: Record<string, string | readonly string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value;
  return {
    status: response.status,
    headers,
    text: () => text,
    json: <T>() => (text === '' ? undefined : JSON.parse(text)) as T,
  };
}
