import { Readable } from 'node:stream';
import { ModuError } from '../errors/modu-error.js';
import type { IpcChannel } from './ipc-channel.js';

/** How long a stream may wait for its next chunk, and what happens to the process that stopped sending. */
export interface IdleDeadline {
  readonly ms: number;
  readonly what: string;
  readonly onIdle: (cause: string) => void;
}

interface Incoming {
  readonly stream: Readable;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Response streams arriving from a plugin process: each is a Readable that asks the child for one chunk whenever its
 * reader wants more (`pull`), so nothing is buffered whole and a slow client slows the plugin down. A pull that gets
 * no chunk within the idle deadline ends the stream (the response is cut short) and the process is given up on.
 */
export class IncomingStreams {
  readonly #streams = new Map<number, Incoming>();

  /** The Readable for stream `id` of the process behind `channel`. */
  open(id: number, channel: IpcChannel, idle: IdleDeadline): Readable {
    const streams = this.#streams;
    const stalled = () => {
      const cause = `requestTimeoutMs (${idle.ms}) reached waiting for the next chunk of ${idle.what}`;
      incoming.stream.destroy(
        new ModuError('MODU_HTTP_TIMEOUT', `The stream stopped: ${cause}.`, { details: { timeoutMs: idle.ms } }),
      );
      idle.onIdle(cause);
    };
    const incoming: Incoming = {
      stream: new Readable({
        read() {
          channel.send({ t: 'pull', stream: id });
          clearTimeout(incoming.timer);
          incoming.timer = setTimeout(stalled, idle.ms);
        },
        destroy(error, callback) {
          clearTimeout(incoming.timer);
          if (streams.delete(id)) channel.send({ t: 'cancel', stream: id });
          callback(error);
        },
      }),
      timer: undefined,
    };
    streams.set(id, incoming);
    return incoming.stream;
  }

  /** Handles a stream message from the child; false when `message` is not one. */
  receive(message: { readonly t: string; readonly stream?: number; readonly data?: Uint8Array }): boolean {
    if (message.stream === undefined) return false;
    const incoming = this.#streams.get(message.stream);
    if (incoming === undefined) return true;
    clearTimeout(incoming.timer);
    const { stream } = incoming;
    if (message.t === 'chunk' && message.data !== undefined) stream.push(message.data);
    else if (message.t === 'end') {
      this.#streams.delete(message.stream);
      stream.push(null);
    } else if (message.t === 'fail') {
      this.#streams.delete(message.stream);
      stream.destroy(new Error('the plugin stream failed'));
    }
    return true;
  }

  /** Fails every open stream: the process behind them is gone. */
  failAll(cause: string): void {
    for (const { stream } of this.#streams.values()) {
      stream.destroy(new ModuError('MODU_PLUGIN_UNAVAILABLE', `The plugin process ended mid-stream: ${cause}`));
    }
    this.#streams.clear();
  }
}
