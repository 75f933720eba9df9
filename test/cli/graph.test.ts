import { join } from 'node:path';
import { expect } from 'chai';
import { modu } from '../helpers/cli.js';
import { fixturesDir } from '../helpers/fixtures.js';

describe('modu graph', () => {
  describe('when every plugin resolves', () => {
    it('prints the waves and exits 0', async () => {
      const run = await modu(['graph', '--plugins', join(fixturesDir, 'example', 'plugins')]);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.equal('wave 1: auth, settings, storage\nwave 2: audit, users\nwave 3: todos\n');
    });

    it('reads the plugins folder from ./modu.yaml', async () => {
      const run = await modu(['graph', '--json'], join(fixturesDir, 'example'));
      expect(run.code).to.equal(0);
      expect(JSON.parse(run.stdout).waves).to.deep.equal([
        ['auth', 'settings', 'storage'],
        ['audit', 'users'],
        ['todos'],
      ]);
    });

    it('prints Graphviz dot', async () => {
      const run = await modu(['graph', '--format', 'dot', '--plugins', join(fixturesDir, 'example', 'plugins')]);
      expect(run.stdout)
        .to.match(/^digraph modu \{/)
        .and.to.contain('"todos" -> "users";');
    });
  });

  describe('when plugins have problems', () => {
    it('reports every problem at once, cycles with their path, and exits 1', async () => {
      const run = await modu(['graph', '--json', '--plugins', join(fixturesDir, 'broken')]);
      expect(run.code).to.equal(1);
      const graph = JSON.parse(run.stdout);
      expect(graph.cycles).to.deep.equal([['cycle-a', 'cycle-b', 'cycle-c', 'cycle-a']]);
      const codes = graph.problems.map((p: { code: string }) => p.code);
      expect(codes).to.include.members([
        'MODU_GRAPH_MISSING_DEPENDENCY',
        'MODU_MANIFEST_KERNEL_MISMATCH',
        'MODU_GRAPH_CYCLE',
      ]);
      expect(graph.invalid.map((p: { code: string }) => p.code)).to.have.members([
        'MODU_YAML_INVALID',
        'MODU_MANIFEST_INVALID',
      ]);
    });
  });

  describe('when the flags are wrong', () => {
    it('exits 2 on an unknown option or format', async () => {
      expect((await modu(['graph', '--bogus'])).code).to.equal(2);
      expect((await modu(['graph', '--format', 'png'])).code).to.equal(2);
    });

    it('exits 1 naming the folder when it does not exist', async () => {
      const run = await modu(['graph', '--plugins', '/nonexistent/plugins']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(
        /^error MODU_DISCOVERY_ROOT_MISSING: The plugins folder \/nonexistent\/plugins does not exist\.\nhint: /,
      );
    });
  });
});

describe('modu why', () => {
  const plugins = join(fixturesDir, 'example', 'plugins');

  it('explains the wave of a plugin and the chain that puts it there', async () => {
    const run = await modu(['why', 'todos', '--plugins', plugins]);
    expect(run.code).to.equal(0);
    expect(run.stdout).to.contain('todos loads in wave 3 of 3').and.to.contain('longest chain: auth -> audit -> todos');
  });

  it('explains a skip down to its root cause and exits 1', async () => {
    const run = await modu(['why', 'cycle-b', '--json', '--plugins', join(fixturesDir, 'broken')]);
    expect(run.code).to.equal(1);
    expect(JSON.parse(run.stdout).because[0].details.cycle).to.deep.equal(['cycle-a', 'cycle-b', 'cycle-c', 'cycle-a']);
  });

  it('names an unknown plugin', async () => {
    const run = await modu(['why', 'ghost', '--plugins', plugins]);
    expect(run.code).to.equal(1);
    expect(run.stderr).to.contain('No plugin named ghost');
    expect(run.stderr).to.contain('MODU_LOADER_PLUGIN_NOT_FOUND');
  });
});
