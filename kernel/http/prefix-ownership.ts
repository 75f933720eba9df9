import { ModuError } from '../errors/modu-error.js';
import { ArrayPrototypeJoin, ArrayPrototypePush, SafeMap } from '../primordials.js';
import { pathSegments } from './route-trie.js';

/** The owner name under which the host endpoints' prefix is reserved. */
export const HOST_ENDPOINTS_OWNER = '(host endpoints)';

/** True when one segment list equals the other or lies inside it: `/users` and `/users/admin` overlap. */
function overlaps(a: readonly string[], b: readonly string[]): boolean {
  const shorter = Math.min(a.length, b.length);
  for (let i = 0; i < shorter; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Claim {
  readonly prefix: string;
  readonly segments: readonly string[];
}

/**
 * Which plugin owns which route prefix. No two owners' prefixes overlap (equal, or one a path-segment prefix of the
 * other), so a route can only ever answer under its own plugin's prefix: a plugin declaring `/users` and `/alice`
 * cannot shadow the `users` plugin's guarded `/users/:id`. The host endpoints' prefix is reserved the same way.
 */
export class PrefixOwnership {
  readonly #claims = new SafeMap<string, Claim>();
  readonly #owners: string[] = [];

  constructor(hostPrefix: string) {
    this.claim(HOST_ENDPOINTS_OWNER, hostPrefix);
  }

  /**
   * Records `owner`'s prefix, replacing its earlier claim.
   * @throws ModuError `MODU_HTTP_ROUTE_CONFLICT` naming both plugins and both prefixes
   */
  claim(owner: string, prefix: string): void {
    const segments = pathSegments(prefix);
    for (let i = 0; i < this.#owners.length; i++) {
      const other = this.#owners[i] as string;
      const held = this.#claims.get(other);
      if (other === owner || held === undefined || !overlaps(held.segments, segments)) continue;
      throw new ModuError(
        'MODU_HTTP_ROUTE_CONFLICT',
        `Plugin '${owner}' mounts its routes under ${prefix}, which overlaps ${held.prefix} owned by '${other}'; give one of them another routes.prefix in its plugin.yaml.`,
        { details: { plugin: owner, prefix, owner: other, ownerPrefix: held.prefix } },
      );
    }
    if (!this.#claims.has(owner)) ArrayPrototypePush(this.#owners, owner);
    this.#claims.set(owner, { prefix: `/${ArrayPrototypeJoin(segments, '/')}`, segments });
  }

  /** Throws as {@link PrefixOwnership.claim} would, and claims nothing. */
  check(owner: string, prefix: string): void {
    this.claimAll([{ owner, prefix }])();
  }

  /**
   * Claims each owner's prefix, all or none (replacing their earlier claims); returns how to put the earlier claims
   * back. @throws ModuError `MODU_HTTP_ROUTE_CONFLICT`
   */
  claimAll(claims: readonly { readonly owner: string; readonly prefix: string }[]): () => void {
    const earlier = new SafeMap<string, Claim | undefined>();
    for (let i = 0; i < claims.length; i++) {
      const { owner } = claims[i] as { owner: string };
      if (!earlier.has(owner)) earlier.set(owner, this.#claims.get(owner));
    }
    const restore = () =>
      earlier.forEach((held, owner) => {
        if (held === undefined) this.release(owner);
        else this.#claims.set(owner, held);
      });
    try {
      for (let i = 0; i < claims.length; i++) {
        const { owner, prefix } = claims[i] as { owner: string; prefix: string };
        this.claim(owner, prefix);
      }
    } catch (error) {
      restore();
      throw error;
    }
    return restore;
  }

  /** Drops `owner`'s claim. */
  release(owner: string): void {
    if (!this.#claims.delete(owner)) return;
    for (let i = 0; i < this.#owners.length; i++) {
      if (this.#owners[i] !== owner) continue;
      this.#owners.splice(i, 1);
      return;
    }
  }
}
