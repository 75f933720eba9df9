import { ModuError } from '../errors/modu-error.js';
import { ArrayPrototypeJoin, ArrayPrototypeSlice, SafeMap, SafeSet } from '../primordials.js';
import { pathSegments } from './route-trie.js';

/** The owner name under which the host endpoints' prefix is reserved. */
export const HOST_ENDPOINTS_OWNER = '(host endpoints)';

interface Claim {
  readonly prefix: string;
  readonly segments: readonly string[];
}

/** The key of the first `length` segments: `/a/b`, and `/` for none. */
function keyOf(segments: readonly string[], length = segments.length): string {
  return `/${ArrayPrototypeJoin(ArrayPrototypeSlice(segments, 0, length), '/')}`;
}

/**
 * Which plugin owns which route prefix. No two owners' prefixes overlap (equal, or one a path-segment prefix of the
 * other), so a route can only ever answer under its own plugin's prefix: a plugin declaring `/users` and `/alice`
 * cannot shadow the `users` plugin's guarded `/users/:id`. The host endpoints' prefix is reserved the same way.
 * A claim is checked by looking up its own ancestors and itself, and the owners below it, so its cost follows the
 * prefix's depth, not the number of plugins.
 */
export class PrefixOwnership {
  readonly #claims = new SafeMap<string, Claim>();
  /** The owner of each claimed prefix, by key. */
  readonly #exact = new SafeMap<string, string>();
  /** The owners holding a prefix strictly below each key, in the order they claimed. */
  readonly #below = new SafeMap<string, SafeSet<string>>();

  constructor(hostPrefix: string) {
    this.claim(HOST_ENDPOINTS_OWNER, hostPrefix);
  }

  /**
   * Records `owner`'s prefix, replacing its earlier claim.
   * @throws ModuError `MODU_HTTP_ROUTE_CONFLICT` naming both plugins and both prefixes
   */
  claim(owner: string, prefix: string): void {
    const segments = pathSegments(prefix);
    const other = this.#overlapping(owner, segments);
    if (other !== undefined) {
      const held = this.#claims.get(other) as Claim;
      throw new ModuError(
        'MODU_HTTP_ROUTE_CONFLICT',
        `Plugin '${owner}' mounts its routes under ${prefix}, which overlaps ${held.prefix} owned by '${other}'; give one of them another routes.prefix in its plugin.yaml.`,
        { details: { plugin: owner, prefix, owner: other, ownerPrefix: held.prefix } },
      );
    }
    this.release(owner);
    this.#index({ prefix: keyOf(segments), segments }, owner);
  }

  /** Another owner whose prefix equals `segments`, lies above it or below it. */
  #overlapping(owner: string, segments: readonly string[]): string | undefined {
    for (let length = 0; length <= segments.length; length++) {
      const at = this.#exact.get(keyOf(segments, length));
      if (at !== undefined && at !== owner) return at;
    }
    let found: string | undefined;
    // forEach, captured at start: a plugin replacing Set.prototype[Symbol.iterator] does not reach it.
    this.#below.get(keyOf(segments))?.forEach((below) => {
      if (found === undefined && below !== owner) found = below;
    });
    return found;
  }

  #index(claim: Claim, owner: string): void {
    this.#claims.set(owner, claim);
    this.#exact.set(claim.prefix, owner);
    for (let length = 0; length < claim.segments.length; length++) {
      const key = keyOf(claim.segments, length);
      let owners = this.#below.get(key);
      if (owners === undefined) {
        owners = new SafeSet();
        this.#below.set(key, owners);
      }
      owners.add(owner);
    }
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
        this.release(owner);
        if (held !== undefined) this.#index(held, owner);
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
    const held = this.#claims.get(owner);
    if (held === undefined) return;
    this.#claims.delete(owner);
    if (this.#exact.get(held.prefix) === owner) this.#exact.delete(held.prefix);
    for (let length = 0; length < held.segments.length; length++) {
      const key = keyOf(held.segments, length);
      const owners = this.#below.get(key);
      owners?.delete(owner);
      if (owners?.size === 0) this.#below.delete(key);
    }
  }
}
