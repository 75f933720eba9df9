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
 * A neutral request over Node's request. The AbortSignal (and its close listener) is made only
 * when someone reads it: it costs more than the rest of the translation. It is aborted when the
 * response closes before it finished, even if that happened before the read.
 */
class NodeRequest implements NeutralRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: IncomingMessage['headers'];
  readonly body: IncomingMessage;
  readonly parsedBody: unknown;
  readonly #res: ServerResponse;
  #controller: AbortController | undefined = undefined;

  constructor(req: IncomingMessage, res: ServerResponse, parsedBody: unknown) {
    const url = req.url ?? '/';
    const mark = url.indexOf('?');
    this.method = (req.method ?? 'GET').toUpperCase();
    this.path = decodePath(mark === -1 ? url : url.slice(0, mark));
    this.query = mark === -1 ? NO_QUERY : parseQuery(url.slice(mark + 1));
    this.headers = req.headers;
    this.body = req;
    this.parsedBody = parsedBody;
    this.#res = res;
  }

  /** Read on demand: the socket asks the operating system for its peer each time. */
  get remoteAddress(): string | undefined {
    return this.body.socket.remoteAddress;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      const res = this.#res;
      // A response closed before it finished means the client went away, before or after this read.
      if (res.closed && !res.writableFinished) controller.abort();
      else res.once('close', () => res.writableFinished || controller.abort());
      this.#controller = controller;
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
