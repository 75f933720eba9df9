import type { DependencyGraph, GraphProblem } from './dependency-graph.js';

/** Why a plugin loads where it does, or why it cannot load. */
export type PluginExplanation =
  | {
      readonly plugin: string;
      readonly loads: true;
      /** 1-based wave number, and how many waves there are. */
      readonly wave: number;
      readonly waves: number;
      /** Its dependencies with their waves. */
      readonly after: readonly { readonly plugin: string; readonly wave: number }[];
      /** The longest chain of dependencies that puts it in its wave, ending with it. */
      readonly chain: readonly string[];
      readonly neededBy: readonly string[];
    }
  | {
      readonly plugin: string;
      readonly loads: false;
      /** The chain of blocked plugins from this one down to the root cause, each with its problem. */
      readonly because: readonly GraphProblem[];
    };

/** Explains one plugin's place in the graph; undefined when the graph has no such plugin. */
export function explainPlugin(graph: DependencyGraph, plugin: string): PluginExplanation | undefined {
  if (!graph.plugins.has(plugin)) return undefined;
  const blocked = graph.blocked.get(plugin);
  if (blocked !== undefined) {
    const because = [blocked];
    for (let at = blocked; at.code === 'MODU_GRAPH_DEPENDENCY_FAILED'; ) {
      const next = graph.blocked.get(String(at.details.dependency));
      if (next === undefined || because.includes(next)) break;
      because.push(next);
      at = next;
    }
    return { plugin, loads: false, because };
  }
  const waveOf = new Map(graph.waves.flatMap((wave, i) => wave.map((name) => [name, i + 1] as const)));
  const after = (graph.edges.get(plugin) ?? []).map((dep) => ({ plugin: dep, wave: waveOf.get(dep) ?? 0 }));
  const chain = [plugin];
  for (let at = plugin; ; ) {
    const deepest = (graph.edges.get(at) ?? []).reduce<string | undefined>(
      (best, dep) => (best === undefined || (waveOf.get(dep) ?? 0) > (waveOf.get(best) ?? 0) ? dep : best),
      undefined,
    );
    if (deepest === undefined) break;
    chain.unshift(deepest);
    at = deepest;
  }
  return {
    plugin,
    loads: true,
    wave: waveOf.get(plugin) ?? 0,
    waves: graph.waves.length,
    after,
    chain,
    neededBy: graph.dependents.get(plugin) ?? [],
  };
}
