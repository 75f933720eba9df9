import { Readable } from 'node:stream';
import type { NeutralResponse } from './neutral.js';
import { isReply } from './reply.js';

const JSON_TYPE = 'application/json; charset=utf-8';
const TEXT_TYPE = 'text/plain; charset=utf-8';
const BYTES_TYPE = 'application/octet-stream';

function withType(
  headers: Readonly<Record<string, string | readonly string[]>>,
  type: string,
): Readonly<Record<string, string | readonly string[]>> {
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-type') return headers;
  return { ...headers, 'content-type': type };
}

function encode(
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string | readonly string[]>>,
): NeutralResponse {
  if (body === undefined) return { status, headers, body: undefined };
  if (typeof body === 'string') return { status, headers: withType(headers, TEXT_TYPE), body };
  if (body instanceof Uint8Array) return { status, headers: withType(headers, BYTES_TYPE), body };
  if (body instanceof Readable) return { status, headers: withType(headers, BYTES_TYPE), body };
  return { status, headers: withType(headers, JSON_TYPE), body: JSON.stringify(body) };
}

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});
// Shared, frozen header objects for the common answers: no allocation per request.
const JSON_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': JSON_TYPE });
const TEXT_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': TEXT_TYPE });

/**
 * Turns what a handler returned into a response: a `reply(...)` as given, undefined → 204,
 * string → text/plain, bytes or Readable → octet-stream, anything else → 200 JSON.
 */
export function toNeutralResponse(result: unknown): NeutralResponse {
  if (result === undefined) return { status: 204, headers: NO_HEADERS, body: undefined };
  if (typeof result === 'string') return { status: 200, headers: TEXT_HEADERS, body: result };
  if (isReply(result)) return encode(result.status, result.body, result.headers);
  if (result instanceof Uint8Array || result instanceof Readable) return encode(200, result, NO_HEADERS);
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(result) };
}
