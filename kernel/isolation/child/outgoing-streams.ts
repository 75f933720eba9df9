import type { Readable } from 'node:stream';
import type { StreamMessage } from '../isolation-protocol.js';

interface Outgoing {
  readonly iterator: AsyncIterator<unknown>;
  readonly done: () => void;
}

function bytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  return Buffer.from(String(chunk));
}

/**
 * The response streams of the child's handlers, sent to the host one chunk per `pull`: the host asks for the next
 * chunk when its own reader wants one, so a slow client slows the plugin's stream down instead of filling memory.
 */
export class OutgoingStreams {
  readonly #streams = new Map<number, Outgoing>();
  readonly #send: (message: StreamMessage | { t: 'fail'; stream: number; error: unknown }) => void;
  #nextId = 0;

  constructor(send: (message: StreamMessage | { t: 'fail'; stream: number; error: unknown }) => void) {
    this.#send = send;
  }

  /** Registers a stream; `done` runs once it ended, failed or was abandoned. Returns its id. */
  open(stream: Readable, done: () => void): number {
    const id = this.#nextId++;
    this.#streams.set(id, { iterator: stream[Symbol.asyncIterator](), done });
    return id;
  }

  /** Sends stream `id`'s next chunk, or its end. */
  async pull(id: number): Promise<void> {
    const outgoing = this.#streams.get(id);
    if (outgoing === undefined) return;
    try {
      const next = await outgoing.iterator.next();
      if (next.done !== true) {
        this.#send({ t: 'chunk', stream: id, data: bytes(next.value) });
        return;
      }
      this.#send({ t: 'end', stream: id });
    } catch (error) {
      this.#send({ t: 'fail', stream: id, error: String(error) });
    }
    this.#streams.delete(id);
    outgoing.done();
  }

  /** The host gave up on stream `id` (its client went away). */
  cancel(id: number): void {
    const outgoing = this.#streams.get(id);
    if (outgoing === undefined) return;
    this.#streams.delete(id);
    void outgoing.iterator.return?.();
    outgoing.done();
  }
}
