import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NeutralRequest } from '../../kernel/index.js';

const NO_QUERY: Readonly<Record<string, string>> = Object.freeze({});

function parseQuery(search: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    const seen = query[key];
    query[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

function decodePath(raw: string): string {
  const path = raw.startsWith('/') ? raw : `/${raw}`;
  if (!path.includes('%')) return path;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * A neutral request over Node's request. The AbortSignal is made only when someone reads it (an
 * AbortController costs more than the rest of the translation); it is aborted when the response
 * closes before it finished, even if read later.
 */
class NodeRequest implements NeutralRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: IncomingMessage['headers'];
  readonly remoteAddress: string | undefined;
  readonly body: IncomingMessage;
  readonly parsedBody: unknown;
  #controller: AbortController | undefined = undefined;
  #gone = false;

  constructor(req: IncomingMessage, res: ServerResponse, parsedBody: unknown) {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    this.method = (req.method ?? 'GET').toUpperCase();
    this.path = decodePath(mark === -1 ? url : url.slice(0, mark));
    this.query = mark === -1 ? NO_QUERY : parseQuery(url.slice(mark + 1));
    this.headers = req.headers;
    this.remoteAddress = req.socket.remoteAddress;
    this.body = req;
    this.parsedBody = parsedBody;
    res.once('close', () => {
      if (res.writableFinished) return;
      this.#gone = true;
      this.#controller?.abort();
    });
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#gone) this.#controller.abort();
    }
    return this.#controller.signal;
  }
}

/**
 * Builds a neutral request from Node's request and response; `parsedBody` carries a body that host
 * middleware already read.
 */
export function toNeutralRequest(req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): NeutralRequest {
  return new NodeRequest(req, res, parsedBody);
}
