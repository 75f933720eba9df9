import { ModuError } from '../errors/modu-error.js';
import type { NeutralRequest } from './neutral.js';

function header(request: NeutralRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function isJson(contentType: string): boolean {
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

function tooLarge(limit: number): ModuError {
  return new ModuError('MODU_HTTP_BODY_TOO_LARGE', `The request body exceeds ${limit} bytes; send a smaller body.`, {
    details: { limitBytes: limit },
  });
}

/** Deepest nesting of arrays and objects a body may have: deeper ones would overflow the stack of code using them. */
export const MAX_JSON_DEPTH = 64;

/** True when `text` nests arrays or objects deeper than `max` (strings skipped); linear, and only counts brackets. */
function nestsDeeper(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > max) return true;
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return false;
}

/** True when the request announces a body (a non-zero Content-Length or a Transfer-Encoding). */
export function hasBody(request: NeutralRequest): boolean {
  const length = header(request, 'content-length');
  if (length !== undefined) return length !== '0';
  return header(request, 'transfer-encoding') !== undefined;
}

function readRaw(request: NeutralRequest, limit: number): Promise<string> {
  const stream = request.body;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error: Error | undefined, text?: string) => {
      stream.off('data', onData).off('end', onEnd).off('error', onError);
      if (error === undefined) resolve(text ?? '');
      else {
        stream.resume(); // discard the rest without destroying the socket, so the answer still reaches the client
        reject(error);
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(tooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => done(undefined, Buffer.concat(chunks, size).toString('utf8'));
    const onError = (error: Error) => done(error);
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}

/**
 * Reads and parses a JSON request body from the raw stream, at most `limit` bytes; a body that host
 * middleware already parsed is taken as it is. Resolves undefined when there is no body.
 *
 * Bodies nested deeper than {@link MAX_JSON_DEPTH} are refused before parsing.
 *
 * @throws ModuError `MODU_HTTP_BODY_TOO_LARGE`, `MODU_HTTP_BAD_JSON` (also for too deep), `MODU_HTTP_UNSUPPORTED_MEDIA_TYPE`
 */
export async function readJsonBody(request: NeutralRequest, limit: number): Promise<unknown> {
  if (request.parsedBody !== undefined) return request.parsedBody;
  if (!hasBody(request)) return undefined;
  const contentType = header(request, 'content-type') ?? '';
  if (!isJson(contentType)) {
    throw new ModuError(
      'MODU_HTTP_UNSUPPORTED_MEDIA_TYPE',
      `Content-Type '${contentType || '(none)'}' is not accepted; send application/json.`,
    );
  }
  const declared = Number(header(request, 'content-length'));
  if (declared > limit) {
    request.body.resume();
    throw tooLarge(limit);
  }
  const text = await readRaw(request, limit);
  if (text.trim() === '') return undefined;
  if (nestsDeeper(text, MAX_JSON_DEPTH)) {
    throw new ModuError(
      'MODU_HTTP_BAD_JSON',
      `The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels; send a flatter body.`,
      { details: { maxDepth: MAX_JSON_DEPTH } },
    );
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ModuError('MODU_HTTP_BAD_JSON', `The request body is not valid JSON: ${(cause as Error).message}.`, {
      cause,
    });
  }
}
