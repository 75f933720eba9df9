import type { IncomingMessage } from 'node:http';
import type { NeutralRequest } from '../../kernel/index.js';

function parseQuery(search: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of search) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

/**
 * Builds a neutral request from Node's request. `signal` is aborted when the client goes away;
 * `parsedBody` carries a body that host middleware already read.
 */
export function toNeutralRequest(req: IncomingMessage, signal: AbortSignal, parsedBody?: unknown): NeutralRequest {
  const url = new URL(req.url ?? '/', 'http://modu.invalid');
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path,
    query: parseQuery(url.searchParams),
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress,
    body: req,
    ...(parsedBody === undefined ? {} : { parsedBody }),
    signal,
  };
}

/** An AbortSignal that fires when the response closes before it finished. */
export function clientGone(res: {
  once(event: 'close', listener: () => void): unknown;
  writableFinished: boolean;
}): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  return controller.signal;
}
