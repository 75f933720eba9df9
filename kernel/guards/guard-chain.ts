import type { Guard } from '../authoring/plugin-definition.js';

/** A guard registered in the host: full name, owner, export flag, qualified dependencies, instance. */
export interface GuardEntry {
  /** `<plugin>/<guard>`. */
  readonly name: string;
  readonly owner: string;
  readonly exported: boolean;
  /** Qualified names of the guards that run before this one. */
  readonly dependsOn: readonly string[];
  readonly guard: Guard;
}

/** One step of a compiled chain: the guard's name (for denials and listings) and its instance. */
export interface GuardStep {
  readonly name: string;
  readonly guard: Guard;
}

/** A route's guards, flattened at mount: dependencies first, each guard once, in run order. */
export type GuardChain = readonly GuardStep[];
