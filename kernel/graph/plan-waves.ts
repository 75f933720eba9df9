/** Plugins that load together: every one of them depends only on plugins of earlier waves. */
export type LoadWave = readonly string[];

/**
 * Plans deterministic topological waves (Kahn's algorithm, layer by layer, names sorted in each
 * wave) over `names`; `edges` maps a plugin to the plugins it needs first. Edges to plugins outside
 * `names` are ignored; nodes left on a cycle are not placed in any wave.
 */
export function planWaves(names: Iterable<string>, edges: ReadonlyMap<string, readonly string[]>): LoadWave[] {
  const members = new Set(names);
  const waiting = new Map<string, number>();
  const dependents = new Map<string, string[]>();
  for (const name of members) {
    const needs = (edges.get(name) ?? []).filter((dep) => members.has(dep));
    waiting.set(name, needs.length);
    for (const dep of needs) {
      const list = dependents.get(dep);
      if (list) list.push(name);
      else dependents.set(dep, [name]);
    }
  }
  const waves: LoadWave[] = [];
  let current = [...members].filter((name) => waiting.get(name) === 0).sort();
  while (current.length > 0) {
    waves.push(current);
    const next: string[] = [];
    for (const name of current) {
      for (const dependent of dependents.get(name) ?? []) {
        const left = (waiting.get(dependent) as number) - 1;
        waiting.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    current = next.sort();
  }
  return waves;
}
