import type { Guard } from '../authoring/plugin-definition.js';
import type { CircuitBreaker } from '../http/circuit-breaker.js';
import type { MountedPlugin } from '../http/mounted-plugin.js';

/** A guard registered in the host: full name, owner, export flag, qualified dependencies, instance. */
export interface GuardEntry {
  /** `<plugin>/<guard>`. */
  readonly name: string;
  readonly owner: string;
  readonly exported: boolean;
  /** Qualified names of the guards that run before this one. */
  readonly dependsOn: readonly string[];
  readonly guard: Guard;
  /** Its owner as the HTTP layer holds it: the guard runs with the owner's services, config and logger. */
  readonly runsAs: MountedPlugin;
  /** Its own breaker: a guard that keeps failing is its owner's failure, never the calling route's. */
  readonly breaker: CircuitBreaker;
  /** Times it threw or rejected (its owner's metrics). */
  readonly stats: { failures: number };
}

/** One step of a compiled chain: the guard's name (for denials and listings), its instance, owner and breaker. */
export type GuardStep = Pick<GuardEntry, 'name' | 'guard' | 'owner' | 'runsAs' | 'breaker' | 'stats'>;

/** A route's guards, flattened at mount: dependencies first, each guard once, in run order. */
export type GuardChain = readonly GuardStep[];
