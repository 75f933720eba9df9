import { ModuError } from '../errors/modu-error.js';

/**
 * The kernel's explicit map of which plugin owns which service token. Claims are checked before
 * anything is bound, and a release removes exactly the tokens its owner claimed: nothing is ever
 * found or removed by matching strings.
 */
export class ServiceOwnership {
  readonly #owners = new Map<string, string>();
  readonly #owned = new Map<string, readonly string[]>();

  /** Claims all `tokens` for `owner`, or none. @throws ModuError `MODU_CONTAINER_CONFLICT` naming both plugins */
  claim(owner: string, tokens: readonly string[]): void {
    for (const token of tokens) {
      const current = this.#owners.get(token);
      if (current !== undefined && current !== owner) {
        throw new ModuError('MODU_CONTAINER_CONFLICT', `${owner} cannot bind ${token}: it is owned by ${current}`, {
          details: { token, owner: current, claimant: owner },
        });
      }
    }
    if (this.#owned.has(owner)) this.release(owner);
    for (const token of tokens) this.#owners.set(token, owner);
    this.#owned.set(owner, [...tokens]);
  }

  /** Releases every token `owner` claimed. */
  release(owner: string): void {
    for (const token of this.#owned.get(owner) ?? []) this.#owners.delete(token);
    this.#owned.delete(owner);
  }

  ownerOf(token: string): string | undefined {
    return this.#owners.get(token);
  }

  tokensOf(owner: string): readonly string[] {
    return this.#owned.get(owner) ?? [];
  }
}
