import {
  type DependencyGraph,
  type DiscoveryProblem,
  discoverPlugins,
  KERNEL_VERSION,
  resolveGraph,
} from '../kernel/index.js';

/** The static view of a plugins folder: the graph, and the folders that are not usable plugins. */
export interface PluginAnalysis {
  readonly graph: DependencyGraph;
  /** Invalid manifests and duplicates; folders without plugin.yaml are left out. */
  readonly invalid: readonly DiscoveryProblem[];
}

/** Discovers and resolves without running any plugin code. */
export async function analyzePlugins(dirs: readonly string[]): Promise<PluginAnalysis> {
  const discovery = await discoverPlugins(dirs);
  const graph = resolveGraph(
    discovery.packages.map((p) => p.manifest),
    KERNEL_VERSION,
  );
  const invalid = discovery.problems.filter((p) => p.error.code !== 'MODU_DISCOVERY_NOT_A_PLUGIN');
  return { graph, invalid };
}
