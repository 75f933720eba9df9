import { expect } from 'chai';
import fc from 'fast-check';
import { findCycles, type GraphInput, planWaves, resolveGraph } from '../../../kernel/index.js';

const plugin = (
  name: string,
  dependencies: Record<string, string> = {},
  extra: Partial<GraphInput> = {},
): GraphInput => ({
  name,
  version: '1.0.0',
  kernel: '^1.0.0',
  dependencies,
  ...extra,
});

/** A random DAG: plugin i may depend only on plugins with a smaller index. */
const randomDag = fc
  .integer({ min: 1, max: 40 })
  .chain((size) =>
    fc.tuple(fc.constant(size), fc.array(fc.tuple(fc.nat(size - 1), fc.nat(size - 1)), { maxLength: size * 3 })),
  )
  .map(([size, pairs]) => {
    const deps = Array.from({ length: size }, () => new Set<number>());
    for (const [a, b] of pairs) if (a !== b) deps[Math.max(a, b)]?.add(Math.min(a, b));
    return deps.map((set, i) => plugin(`p${i}`, Object.fromEntries([...set].map((d) => [`p${d}`, '^1.0.0']))));
  });

describe('resolveGraph()', () => {
  describe('when every dependency is present and in range', () => {
    it('plans deterministic waves with names sorted in each wave', () => {
      const graph = resolveGraph(
        [plugin('users', { auth: '^1.0.0', storage: '^1.0.0' }), plugin('storage'), plugin('auth', { storage: '^1' })],
        '1.0.0',
      );
      expect(graph.waves).to.deep.equal([['storage'], ['auth'], ['users']]);
      expect(graph.problems).to.deep.equal([]);
    });

    it('orders every random DAG so that each plugin comes after all of its dependencies', () => {
      fc.assert(
        fc.property(randomDag, (plugins) => {
          const graph = resolveGraph(plugins, '1.0.0');
          const waveOf = new Map(graph.waves.flatMap((wave, i) => wave.map((name) => [name, i] as const)));
          expect(waveOf.size).to.equal(plugins.length);
          for (const p of plugins) {
            for (const dep of Object.keys(p.dependencies ?? {})) {
              expect(waveOf.get(dep) as number).to.be.lessThan(waveOf.get(p.name) as number);
            }
          }
        }),
      );
    });
  });

  describe('when dependencies are missing or out of range', () => {
    it('reports every problem at once and skips the dependents transitively', () => {
      const graph = resolveGraph(
        [
          plugin('a', { missing: '^1.0.0' }),
          plugin('b', { a: '^1.0.0' }),
          plugin('c', { b: '^1.0.0' }),
          plugin('d', { e: '^2.0.0' }),
          plugin('e'),
          plugin('old', {}, { kernel: '^0.9.0' }),
        ],
        '1.0.0',
      );
      expect(graph.problems.map((p) => [p.plugin, p.code])).to.deep.equal([
        ['a', 'MODU_GRAPH_MISSING_DEPENDENCY'],
        ['d', 'MODU_GRAPH_VERSION_MISMATCH'],
        ['old', 'MODU_MANIFEST_KERNEL_MISMATCH'],
      ]);
      expect(graph.blocked.get('c')?.message).to.equal('c is skipped because its dependency b cannot run');
      expect(graph.waves).to.deep.equal([['e']]);
    });

    it('treats an absent optional dependency as no error, and a present one as an edge', () => {
      const graph = resolveGraph(
        [plugin('todos', {}, { optionalDependencies: { audit: '^1.0.0', metrics: '^1.0.0' } }), plugin('audit')],
        '1.0.0',
      );
      expect(graph.problems).to.deep.equal([]);
      expect(graph.waves).to.deep.equal([['audit'], ['todos']]);
    });
  });

  describe('when the graph has cycles', () => {
    it('reports each cycle with its full path', () => {
      const graph = resolveGraph(
        [
          plugin('a', { b: '*' }),
          plugin('b', { c: '*' }),
          plugin('c', { a: '*' }),
          plugin('s', { s: '*' }),
          plugin('x', { a: '*' }),
        ],
        '1.0.0',
      );
      expect(graph.cycles).to.deep.equal([
        ['a', 'b', 'c', 'a'],
        ['s', 's'],
      ]);
      expect(graph.blocked.get('x')?.code).to.equal('MODU_GRAPH_DEPENDENCY_FAILED');
      expect(graph.waves).to.deep.equal([]);
    });

    it('always reports a cycle for random graphs that contain one', () => {
      fc.assert(
        fc.property(randomDag, fc.nat(), fc.nat(), (plugins, i, j) => {
          // Adding an edge from a plugin to one of its (transitive) dependents closes a cycle.
          const low = plugins[i % plugins.length] as GraphInput;
          const high = plugins[Math.max(i % plugins.length, j % plugins.length)] as GraphInput;
          const closed = plugins.map((p) =>
            p === low ? { ...p, dependencies: { ...p.dependencies, [high.name]: '*' } } : p,
          );
          const edges = new Map(closed.map((p) => [p.name, Object.keys(p.dependencies ?? {})]));
          const seen = new Set<string>();
          const reachesLow = (from: string): boolean => {
            if (from === low.name) return true;
            if (seen.has(from)) return false;
            seen.add(from);
            return (edges.get(from) ?? []).some(reachesLow);
          };
          const cyclic = reachesLow(high.name);
          const cycles = findCycles(edges);
          expect(cycles.length > 0).to.equal(cyclic);
          for (const cycle of cycles) {
            expect(cycle[0]).to.equal(cycle.at(-1));
            for (let k = 0; k + 1 < cycle.length; k++) expect(edges.get(cycle[k] as string)).to.include(cycle[k + 1]);
          }
        }),
      );
    });
  });
});

describe('planWaves()', () => {
  it('ignores edges to plugins outside the set', () => {
    expect(planWaves(['b', 'a'], new Map([['b', ['a', 'z']]]))).to.deep.equal([['a'], ['b']]);
  });
});
