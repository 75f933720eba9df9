import { fromWireError, toWireError, type WireError } from './wire-error.js';

/** Either end of a Node IPC channel: a ChildProcess in the host, `process` in the child. */
export interface IpcEndpoint {
  send?(message: unknown, callback: (error: Error | null) => void): boolean;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** A request from one side: answered by the other side's handler for `kind`. */
interface RequestMessage {
  readonly t: 'req';
  readonly id: number;
  readonly kind: string;
  readonly payload: unknown;
}

interface ReplyMessage {
  readonly t: 're';
  readonly id: number;
  readonly value?: unknown;
  readonly error?: WireError;
}

/** What one side answers requests with, by kind. */
export type RequestHandlers = Readonly<Record<string, (payload: never) => unknown>>;

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Requests and replies over an IPC channel, both ways: each request gets an id, the other side's handler for its kind
 * answers, and a failure crosses as a {@link WireError} that arrives as a ModuError. Other messages (stream chunks,
 * logs) go to `onOther`.
 */
export class IpcChannel {
  readonly #endpoint: IpcEndpoint;
  readonly #handlers: RequestHandlers;
  readonly #pending = new Map<number, Pending>();
  readonly #onOther: (message: { readonly t: string }) => void;
  #nextId = 0;
  #closed: Error | undefined;

  constructor(endpoint: IpcEndpoint, handlers: RequestHandlers, onOther: (message: { readonly t: string }) => void) {
    this.#endpoint = endpoint;
    this.#handlers = handlers;
    this.#onOther = onOther;
    endpoint.on('message', this.#onMessage);
  }

  /** Sends a request; resolves with the other side's answer. */
  request(kind: string, payload: unknown): Promise<unknown> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const message: RequestMessage = { t: 'req', id, kind, payload };
      this.send(message);
    });
  }

  /** Sends a message as it is; a message to a closed channel is dropped. */
  send<M extends { readonly t: string }>(message: M): void {
    if (this.#closed !== undefined) return;
    try {
      this.#endpoint.send?.(message, () => {});
    } catch {
      // The channel closed under us: close() rejects what waits.
    }
  }

  /** Rejects every request waiting for an answer with `error`, and every later one. */
  close(error: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    this.#endpoint.off('message', this.#onMessage);
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  readonly #onMessage = (message: unknown): void => {
    const m = message as { t?: unknown };
    if (m === null || typeof m !== 'object' || typeof m.t !== 'string') return;
    if (m.t === 'req') void this.#answer(m as RequestMessage);
    else if (m.t === 're') this.#settle(m as ReplyMessage);
    else this.#onOther(m as { t: string });
  };

  #settle(reply: ReplyMessage): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    if (reply.error === undefined) pending.resolve(reply.value);
    else pending.reject(fromWireError(reply.error));
  }

  async #answer(request: RequestMessage): Promise<void> {
    let reply: ReplyMessage;
    try {
      const handler = this.#handlers[request.kind] as ((payload: unknown) => unknown) | undefined;
      if (handler === undefined) throw new Error(`no handler for ${request.kind}`);
      reply = { t: 're', id: request.id, value: await handler(request.payload) };
    } catch (error) {
      reply = { t: 're', id: request.id, error: toWireError(error) };
    }
    try {
      this.#endpoint.send?.(reply, () => {});
    } catch (error) {
      // The value could not be cloned (a function, a class instance with private state): say so instead.
      const wire = toWireError(error);
      const failed: ReplyMessage = {
        t: 're',
        id: request.id,
        error: { ...wire, code: 'MODU_ISOLATION_NOT_CLONEABLE' },
      };
      this.send(failed);
    }
  }
}
