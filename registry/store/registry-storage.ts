import type { Readable } from 'node:stream';

/** A write prepared outside the lock and made visible inside it. */
export interface StagedWrite {
  /** `exclusive`: create only, false when the key exists; otherwise replace. */
  commit(options?: { readonly exclusive?: boolean }): Promise<boolean>;
  /** Makes a committed write durable; may run outside the lock. */
  sync(): Promise<void>;
  discard(): Promise<void>;
}

/**
 * Where a registry keeps its bytes, addressed by `/`-separated keys such as
 * `plugins/users/versions/1.0.0.yaml`. The folder is the embedded default; an object store can
 * implement the same contract (conditional create for `exclusive`, a lease for `withLock`).
 */
export interface RegistryStorage {
  /** A folder path or URL naming the storage, for messages. */
  readonly location: string;
  read(key: string): Promise<Buffer | undefined>;
  readStream(key: string): Promise<Readable | undefined>;
  /** Names directly under `prefix` (files and folders), unsorted; temp and lock names are left out. */
  list(prefix: string): Promise<string[]>;
  /**
   * A token that changes whenever `list(prefix)` would change, or undefined when the storage cannot
   * promise that right now; callers may then cache a listing under the token.
   */
  listToken?(prefix: string): Promise<string | undefined>;
  stage(key: string, data: Uint8Array): Promise<StagedWrite>;
  /** Creates `key` only when absent: false when it exists. Never leaves partial bytes under `key`. */
  createExclusive(key: string, data: Uint8Array): Promise<boolean>;
  /** Atomically replaces `key`. Call it for mutable keys only, inside `withLock`. */
  replace(key: string, data: Uint8Array): Promise<void>;
  /** Runs `fn` holding the cross-process lock named by `scope` (a key prefix). */
  withLock<T>(scope: string, fn: () => Promise<T>): Promise<T>;
  /** Appends one line (append-only logs). */
  append(key: string, line: string): Promise<void>;
}
