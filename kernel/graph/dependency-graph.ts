import semver from 'semver';
import { findCycles } from './find-cycles.js';
import { type LoadWave, planWaves } from './plan-waves.js';

/** What the graph needs to know of one plugin. */
export interface GraphInput {
  readonly name: string;
  readonly version: string;
  readonly kernel: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
}

/** Why a plugin cannot load. `code` is a stable error code. */
export interface GraphProblem {
  readonly code:
    | 'MODU_GRAPH_MISSING_DEPENDENCY'
    | 'MODU_GRAPH_VERSION_MISMATCH'
    | 'MODU_GRAPH_CYCLE'
    | 'MODU_MANIFEST_KERNEL_MISMATCH'
    | 'MODU_GRAPH_DEPENDENCY_FAILED';
  readonly plugin: string;
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** The resolved plugin graph: who needs whom, every problem, and the load plan of what can load. */
export interface DependencyGraph {
  readonly plugins: ReadonlyMap<string, GraphInput>;
  /** Plugin → the present plugins it loads after (dependencies and present optional ones), sorted. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** Plugin → the plugins that load after it, sorted. */
  readonly dependents: ReadonlyMap<string, readonly string[]>;
  /** Every problem found, sorted by plugin: missing, mismatched, kernel range, cycles. */
  readonly problems: readonly GraphProblem[];
  /** Each cycle as a full path, `['a', 'b', 'a']`. */
  readonly cycles: readonly (readonly string[])[];
  /** Plugins that cannot load: their own problem, or a skip naming the dependency that blocks them. */
  readonly blocked: ReadonlyMap<string, GraphProblem>;
  /** Waves of the plugins that can load. */
  readonly waves: readonly LoadWave[];
}

/** Whether a version satisfies a semver range (prereleases included). */
type Satisfies = (version: string, range: string) => boolean;

/**
 * `semver.satisfies`, with each range and version parsed once and each pair tested once: the plugins of a host share a
 * handful of ranges and versions (most ask for `^1.0.0` of a `1.0.0`).
 */
function rangeTester(): Satisfies {
  const options = { includePrerelease: true };
  const ranges = new Map<string, semver.Range | null>();
  const versions = new Map<string, semver.SemVer | null>();
  const parsed = <T>(cache: Map<string, T | null>, text: string, parse: (text: string) => T): T | null => {
    let value = cache.get(text);
    if (value === undefined) {
      try {
        value = parse(text);
      } catch {
        value = null; // not a range or a version: satisfied by nothing, as semver.satisfies has it
      }
      cache.set(text, value);
    }
    return value;
  };
  const answers = new Map<string, boolean>();
  return (version, range) => {
    const key = `${range}\0${version}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      const semverVersion = parsed(versions, version, (text) => new semver.SemVer(text, options));
      const semverRange = parsed(ranges, range, (text) => new semver.Range(text, options));
      answer = semverVersion !== null && semverRange?.test(semverVersion) === true;
      answers.set(key, answer);
    }
    return answer;
  };
}

function checkDependencies(
  plugin: GraphInput,
  plugins: ReadonlyMap<string, GraphInput>,
  satisfies: Satisfies,
): GraphProblem[] {
  const problems: GraphProblem[] = [];
  const check = (deps: Readonly<Record<string, string>> | undefined, optional: boolean) => {
    for (const [dep, range] of Object.entries(deps ?? {})) {
      const found = plugins.get(dep);
      if (found === undefined) {
        if (!optional) {
          problems.push({
            code: 'MODU_GRAPH_MISSING_DEPENDENCY',
            plugin: plugin.name,
            message: `${plugin.name} needs ${dep}@${range}, which is not installed`,
            details: { dependency: dep, range },
          });
        }
      } else if (!satisfies(found.version, range)) {
        problems.push({
          code: 'MODU_GRAPH_VERSION_MISMATCH',
          plugin: plugin.name,
          message: `${plugin.name} needs ${dep}@${range}, but ${dep}@${found.version} is installed`,
          details: { dependency: dep, range, installed: found.version, optional },
        });
      }
    }
  };
  check(plugin.dependencies, false);
  check(plugin.optionalDependencies, true);
  return problems;
}

function checkKernel(plugin: GraphInput, kernelVersion: string, satisfies: Satisfies): GraphProblem[] {
  if (satisfies(kernelVersion, plugin.kernel)) return [];
  return [
    {
      code: 'MODU_MANIFEST_KERNEL_MISMATCH',
      plugin: plugin.name,
      message: `${plugin.name} needs Modu ${plugin.kernel}, but this is Modu ${kernelVersion}`,
      details: { range: plugin.kernel, kernel: kernelVersion },
    },
  ];
}

function invert(edges: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const dependents = new Map<string, string[]>([...edges.keys()].map((name) => [name, []]));
  for (const [name, deps] of edges) for (const dep of deps) dependents.get(dep)?.push(name);
  for (const list of dependents.values()) list.sort();
  return dependents;
}

/**
 * Whether the graph places `plugin` in the first wave whatever else is found: it needs no other plugin, not even
 * optionally, and accepts this kernel. Such a plugin may load before every plugin folder has been read.
 */
export function loadsFirst(plugin: GraphInput, kernelVersion: string): boolean {
  const none = (deps: Readonly<Record<string, string>> | undefined) => Object.keys(deps ?? {}).length === 0;
  return none(plugin.dependencies) && none(plugin.optionalDependencies) && rangeTester()(kernelVersion, plugin.kernel);
}

/**
 * Resolves plugins into a graph: checks every semver range (dependencies, optional ones that are
 * present, the kernel range), reports every problem and every cycle at once, marks what cannot
 * load (and, transitively, what depends on it), and plans deterministic waves for the rest.
 */
export function resolveGraph(inputs: readonly GraphInput[], kernelVersion: string): DependencyGraph {
  const plugins = new Map(inputs.map((p) => [p.name, p]));
  const edges = new Map<string, string[]>();
  for (const plugin of plugins.values()) {
    const deps = [...Object.keys(plugin.dependencies ?? {}), ...Object.keys(plugin.optionalDependencies ?? {})];
    edges.set(plugin.name, [...new Set(deps.filter((dep) => plugins.has(dep)))].sort());
  }
  const satisfies = rangeTester();
  const problems = inputs.flatMap((p) => [
    ...checkKernel(p, kernelVersion, satisfies),
    ...checkDependencies(p, plugins, satisfies),
  ]);
  const cycles = findCycles(edges);
  for (const cycle of cycles) {
    for (const member of new Set(cycle)) {
      problems.push({
        code: 'MODU_GRAPH_CYCLE',
        plugin: member,
        message: `${member} is on a dependency cycle: ${cycle.join(' -> ')}`,
        details: { cycle },
      });
    }
  }
  problems.sort((a, b) => a.plugin.localeCompare(b.plugin) || a.code.localeCompare(b.code));
  const dependents = invert(edges);
  const blocked = new Map<string, GraphProblem>();
  for (const problem of problems) if (!blocked.has(problem.plugin)) blocked.set(problem.plugin, problem);
  for (const [name, reason] of skippedDependents([...blocked.keys()], dependents, blocked)) blocked.set(name, reason);
  const loadable = [...plugins.keys()].filter((name) => !blocked.has(name));
  return { plugins, edges, dependents, problems, cycles, blocked, waves: planWaves(loadable, edges) };
}

/**
 * Every plugin that transitively depends on one of `failed` and is not already excluded, with a
 * reason naming the dependency that blocks it (the nearest one on the path).
 */
export function skippedDependents(
  failed: readonly string[],
  dependents: ReadonlyMap<string, readonly string[]>,
  excluded: ReadonlyMap<string, unknown> = new Map(),
): Map<string, GraphProblem> {
  const skipped = new Map<string, GraphProblem>();
  const origins = new Set(failed);
  const queue = [...failed];
  for (let i = 0; i < queue.length; i++) {
    const blocker = queue[i] as string;
    for (const dependent of dependents.get(blocker) ?? []) {
      if (excluded.has(dependent) || skipped.has(dependent) || origins.has(dependent)) continue;
      skipped.set(dependent, {
        code: 'MODU_GRAPH_DEPENDENCY_FAILED',
        plugin: dependent,
        message: `${dependent} is skipped because its dependency ${blocker} cannot run`,
        details: { dependency: blocker },
      });
      queue.push(dependent);
    }
  }
  return skipped;
}
