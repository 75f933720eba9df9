import type { PluginSnapshot } from '../runtime/plugin-snapshot.js';

/** The chain of plugins whose load and start times add up to the longest wait, and that sum. */
export interface CriticalPath {
  readonly plugins: readonly string[];
  readonly ms: number;
}

/**
 * The critical path through the started plugins: each plugin's load and start time plus the
 * slowest chain of dependencies before it. `waves` gives a topological order.
 */
export function criticalPath(
  waves: readonly (readonly string[])[],
  edges: ReadonlyMap<string, readonly string[]>,
  snapshots: readonly PluginSnapshot[],
): CriticalPath {
  const own = new Map(snapshots.map((s) => [s.name, (s.durations.load ?? 0) + (s.durations.start ?? 0)]));
  const finish = new Map<string, { ms: number; via: string | undefined }>();
  for (const name of waves.flat()) {
    let best: { ms: number; via: string | undefined } = { ms: 0, via: undefined };
    for (const dep of edges.get(name) ?? []) {
      const at = finish.get(dep);
      if (at !== undefined && at.ms > best.ms) best = { ms: at.ms, via: dep };
    }
    finish.set(name, { ms: best.ms + (own.get(name) ?? 0), via: best.via });
  }
  let end: string | undefined;
  let longest = -1;
  for (const [name, at] of finish) {
    if (at.ms > longest) {
      longest = at.ms;
      end = name;
    }
  }
  const plugins: string[] = [];
  for (let at = end; at !== undefined; at = finish.get(at)?.via) plugins.unshift(at);
  return { plugins, ms: Math.max(longest, 0) };
}
