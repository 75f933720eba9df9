import type { PluginAnalysis } from '../analyze-plugins.js';

/** Waves, then every problem, as text. */
export function renderGraphText({ graph, invalid }: PluginAnalysis): string {
  const lines = graph.waves.map((wave, i) => `wave ${i + 1}: ${wave.join(', ')}`);
  if (lines.length === 0) lines.push('no plugin can load');
  const problems = [
    ...invalid.map((p) => `${p.error.code} ${p.error.message.split('\n').join('\n  ')}`),
    ...graph.problems.map((p) => `${p.code} ${p.message}`),
  ];
  const skipped = [...graph.blocked.values()].filter((p) => p.code === 'MODU_GRAPH_DEPENDENCY_FAILED');
  if (problems.length > 0) lines.push('', `${problems.length} problem(s):`, ...problems.map((p) => `  ${p}`));
  if (skipped.length > 0) lines.push('', 'skipped:', ...skipped.map((p) => `  ${p.message}`));
  return `${lines.join('\n')}\n`;
}

/** A JSON-safe view: waves, edges, problems, skipped plugins, invalid folders. */
export function graphJson({ graph, invalid }: PluginAnalysis) {
  return {
    waves: graph.waves,
    edges: Object.fromEntries(graph.edges),
    cycles: graph.cycles,
    problems: graph.problems,
    skipped: [...graph.blocked.values()].filter((p) => p.code === 'MODU_GRAPH_DEPENDENCY_FAILED'),
    invalid: invalid.map((p) => ({ folder: p.folder, code: p.error.code, message: p.error.message })),
  };
}

/** Graphviz dot: an edge from each plugin to what it needs; blocked plugins in red. */
export function renderGraphDot({ graph }: PluginAnalysis): string {
  const lines = ['digraph modu {', '  rankdir=BT;'];
  for (const name of [...graph.plugins.keys()].sort()) {
    lines.push(`  ${JSON.stringify(name)}${graph.blocked.has(name) ? ' [color=red, fontcolor=red]' : ''};`);
  }
  for (const [name, deps] of graph.edges)
    for (const dep of deps) lines.push(`  ${JSON.stringify(name)} -> ${JSON.stringify(dep)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
