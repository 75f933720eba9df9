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
  timer: NodeJS.Timeout | undefined;
}

/** How long the other side has to answer a request, and the error (and what else is due) once it has not. */
export interface RequestDeadline {
  readonly ms: number;
  readonly expire: () => Error;
}

/** The messages one side sent within one turn of its event loop, written to the channel at once. */
interface BatchMessage {
  readonly t: 'batch';
  readonly m: readonly { readonly t: string }[];
}

/**
 * Requests and replies over an IPC channel, both ways: each request gets an id, the other side's handler for its kind
 * answers, and a failure crosses as a {@link WireError} that arrives as a ModuError. Other messages (stream chunks,
 * logs) go to `onOther`. The messages sent within one turn of the event loop (the requests of every connection that
 * was readable, the replies to a batch) go out as one write: one serialization and one system call instead of one each.
 */
export class IpcChannel {
  readonly #endpoint: IpcEndpoint;
  readonly #handlers: RequestHandlers;
  readonly #pending = new Map<number, Pending>();
  readonly #onOther: (message: { readonly t: string }) => void;
  #nextId = 0;
  #closed: Error | undefined;
  #queue: { readonly t: string }[] = [];
  #flushing = false;

  constructor(endpoint: IpcEndpoint, handlers: RequestHandlers, onOther: (message: { readonly t: string }) => void) {
    this.#endpoint = endpoint;
    this.#handlers = handlers;
    this.#onOther = onOther;
    endpoint.on('message', this.#onMessage);
  }

  /** Sends a request; resolves with the other side's answer, or rejects with `deadline.expire()` once it passed. */
  request(kind: string, payload: unknown, deadline?: RequestDeadline): Promise<unknown> {
    if (this.#closed !== undefined) return Promise.reject(this.#closed);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { resolve, reject, timer: undefined };
      if (deadline !== undefined) pending.timer = setTimeout(() => this.#expire(id, deadline), deadline.ms);
      this.#pending.set(id, pending);
      const message: RequestMessage = { t: 'req', id, kind, payload };
      this.send(message);
    });
  }

  #expire(id: number, deadline: RequestDeadline): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    pending.reject(deadline.expire());
  }

  /** Sends a message with the others of this turn of the event loop; a message to a closed channel is dropped. */
  send<M extends { readonly t: string }>(message: M): void {
    if (this.#closed !== undefined) return;
    this.#queue.push(message);
    if (this.#flushing) return;
    this.#flushing = true;
    setImmediate(this.#flush);
  }

  readonly #flush = (): void => {
    this.#flushing = false;
    const queue = this.#queue;
    this.#queue = [];
    if (this.#closed !== undefined || queue.length === 0) return;
    const message = queue.length === 1 ? queue[0] : ({ t: 'batch', m: queue } satisfies BatchMessage);
    if (this.#write(message) || queue.length === 1) return;
    // Something in the batch cannot be cloned: send each alone, so only that one fails.
    for (const single of queue) this.#write(single);
  };

  /** Writes one message; false when it cannot be cloned (its request or reply fails instead), true otherwise. */
  #write(message: unknown): boolean {
    try {
      this.#endpoint.send?.(message, () => {});
      return true;
    } catch (error) {
      // A closed channel reports through the callback; a throw is a value the serializer refused.
      this.#notCloneable(message as { t: string }, error);
      return false;
    }
  }

  #notCloneable(message: { readonly t: string }, error: unknown): void {
    if (message.t === 'batch') return;
    const wire: WireError = { ...toWireError(error), code: 'MODU_ISOLATION_NOT_CLONEABLE' };
    if (message.t === 're') {
      const reply: ReplyMessage = { t: 're', id: (message as ReplyMessage).id, error: wire };
      this.#write(reply);
    } else if (message.t === 'req') this.#settle({ t: 're', id: (message as RequestMessage).id, error: wire });
  }

  /** Rejects every request waiting for an answer with `error`, and every later one. */
  close(error: Error): void {
    if (this.#closed !== undefined) return;
    this.#closed = error;
    this.#endpoint.off('message', this.#onMessage);
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }

  readonly #onMessage = (message: unknown): void => {
    const m = message as { t?: unknown };
    if (m === null || typeof m !== 'object' || typeof m.t !== 'string') return;
    if (m.t === 'batch') {
      const batch = (m as BatchMessage).m;
      if (Array.isArray(batch)) for (const one of batch) this.#onMessage(one);
    } else if (m.t === 'req') void this.#answer(m as RequestMessage);
    else if (m.t === 're') this.#settle(m as ReplyMessage);
    else this.#onOther(m as { t: string });
  };

  #settle(reply: ReplyMessage): void {
    const pending = this.#pending.get(reply.id);
    if (pending === undefined) return;
    this.#pending.delete(reply.id);
    clearTimeout(pending.timer);
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
    // A value that cannot be cloned (a function, a class instance with private state) fails this reply when written.
    this.send(reply);
  }
}
