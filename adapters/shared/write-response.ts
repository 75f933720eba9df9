import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { NeutralResponse } from '../../kernel/index.js';

/** Writes a neutral response onto Node's response; streams are piped with backpressure. */
export async function writeResponse(res: ServerResponse, response: NeutralResponse): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  const { body } = response;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array) {
    res.end(body);
    return;
  }
  try {
    await pipeline(body, res);
  } catch (error) {
    // Once streaming began the status is sent and the socket is gone: a client that went away
    // (or a body stream that broke) leaves nothing to answer, and is no error of the host's.
    if (res.headersSent) return;
    throw error;
  }
}
