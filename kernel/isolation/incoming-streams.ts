import { Readable } from 'node:stream';
import { ModuError } from '../errors/modu-error.js';
import type { IpcChannel } from './ipc-channel.js';

/**
 * Response streams arriving from a plugin process: each is a Readable that asks the child for one chunk whenever its
 * reader wants more (`pull`), so nothing is buffered whole and a slow client slows the plugin down.
 */
export class IncomingStreams {
  readonly #streams = new Map<number, Readable>();

  /** The Readable for stream `id` of the process behind `channel`. */
  open(id: number, channel: IpcChannel): Readable {
    const streams = this.#streams;
    const stream = new Readable({
      read() {
        channel.send({ t: 'pull', stream: id });
      },
      destroy(error, callback) {
        if (streams.delete(id)) channel.send({ t: 'cancel', stream: id });
        callback(error);
      },
    });
    streams.set(id, stream);
    return stream;
  }

  /** Handles a stream message from the child; false when `message` is not one. */
  receive(message: { readonly t: string; readonly stream?: number; readonly data?: Uint8Array }): boolean {
    if (message.stream === undefined) return false;
    const stream = this.#streams.get(message.stream);
    if (stream === undefined) return true;
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
    for (const stream of this.#streams.values()) {
      stream.destroy(new ModuError('MODU_PLUGIN_UNAVAILABLE', `the plugin process ended mid-stream: ${cause}`));
    }
    this.#streams.clear();
  }
}
