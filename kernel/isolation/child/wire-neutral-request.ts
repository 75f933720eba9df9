import { Readable } from 'node:stream';
import type { NeutralRequest } from '../../http/neutral.js';
import type { WireRequest } from '../isolation-protocol.js';

const NO_BODY = Readable.from([]);

/**
 * A request that crossed from the host, as the plugin's guards and handler see it in its process: the body arrives
 * parsed (the raw body stays in the host), and the AbortSignal is made only when someone reads it (it costs more
 * than the rest of the request); the host's abort that came before the read makes it aborted at once.
 */
export class WireNeutralRequest implements NeutralRequest {
  readonly method: string;
  readonly path: string;
  readonly query: WireRequest['query'];
  readonly headers: WireRequest['headers'];
  readonly remoteAddress = undefined;
  readonly body = NO_BODY;
  #controller: AbortController | undefined = undefined;
  #aborted = false;

  constructor(request: WireRequest) {
    this.method = request.method;
    this.path = request.path;
    this.query = request.query;
    this.headers = request.headers;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  /** The host's client went away. */
  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }
}
