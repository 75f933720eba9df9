/** Resolves to true when the plugin got through its step, false when it (or a dependency) did not. */
export type Outcome = Promise<boolean>;

/** How one step is scheduled on the dependency graph. */
export interface GraphSchedule {
  /** Each plugin's dependencies. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** The step, run once the plugin's dependencies got through theirs. */
  readonly step: (name: string) => Outcome;
  /** The previous step's outcomes: a plugin that did not get through it does not run this one. */
  readonly before?: ReadonlyMap<string, Outcome> | undefined;
  /** Steps under way already (a boot's early loads); they are not run again. */
  readonly begun?: ReadonlyMap<string, Outcome> | undefined;
  /** Whether a dependency outside `names` is running: one that is not makes its dependents skip. */
  readonly running: (name: string) => boolean;
  /** Marks `name` skipped because `dependency` cannot run (`why` says how). */
  readonly skip: (name: string, dependency: string, why: string) => Promise<void>;
}

/**
 * Runs a step for each of `names` (in load order) as soon as its dependencies among them got through theirs (and
 * it got through `before`); a plugin whose dependency did not is skipped. Returns each plugin's outcome, the ones in
 * `begun` included.
 */
export function scheduleOnGraph(names: readonly string[], schedule: GraphSchedule): Map<string, Outcome> {
  const { edges, step, before, running, skip } = schedule;
  const done = new Map<string, Outcome>(schedule.begun ?? []);
  for (const name of names) {
    if (done.has(name)) continue;
    const turn = async (): Outcome => {
      if (before !== undefined && !(await before.get(name))) return false;
      const deps = (edges.get(name) ?? []).filter((dep) => done.has(dep) || !running(dep));
      for (const dep of deps) {
        const outcome = done.get(dep);
        if (outcome !== undefined && (await outcome)) continue;
        await skip(name, dep, outcome === undefined ? 'is not running' : 'cannot run');
        return false;
      }
      return step(name);
    };
    done.set(name, turn());
  }
  return done;
}
