import { ModuError } from '../errors/modu-error.js';

/** The tokens one generation of a plugin claimed; released as a whole by {@link ServiceOwnership.release}. */
export interface ServiceClaim {
  readonly owner: string;
  readonly tokens: readonly string[];
}

/**
 * The kernel's explicit map of which plugin owns which service token. Claims are checked before anything is
 * bound, and a release removes exactly the tokens of that claim: nothing is ever found or removed by matching
 * strings. Two generations of the same plugin (a reload staged beside the live one) may hold a token at once;
 * another plugin never can.
 */
export class ServiceOwnership {
  readonly #claims = new Map<string, ServiceClaim[]>();

  /** Claims all `tokens` for `owner`, or none. @throws ModuError `MODU_CONTAINER_CONFLICT` naming both plugins */
  claim(owner: string, tokens: readonly string[]): ServiceClaim {
    for (const token of tokens) {
      const current = this.ownerOf(token);
      if (current !== undefined && current !== owner) {
        throw new ModuError('MODU_CONTAINER_CONFLICT', `${owner} cannot bind ${token}: it is owned by ${current}.`, {
          details: { token, owner: current, claimant: owner },
        });
      }
    }
    const claim: ServiceClaim = { owner, tokens: [...tokens] };
    for (const token of tokens) {
      const holders = this.#claims.get(token);
      if (holders === undefined) this.#claims.set(token, [claim]);
      else holders.push(claim);
    }
    return claim;
  }

  /** Releases exactly the tokens of `claim`; other claims, even of the same owner, keep theirs. */
  release(claim: ServiceClaim): void {
    for (const token of claim.tokens) {
      const holders = this.#claims.get(token)?.filter((held) => held !== claim) ?? [];
      if (holders.length === 0) this.#claims.delete(token);
      else this.#claims.set(token, holders);
    }
  }

  ownerOf(token: string): string | undefined {
    return this.#claims.get(token)?.[0]?.owner;
  }
}
