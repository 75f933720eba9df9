import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { modu } from '../../helpers/cli.js';
import { examplePlugins, fixturesDir } from '../../helpers/fixtures.js';

describe('modu validate', () => {
  let base = '';
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'modu-cli-validate-'));
  });
  after(() => rm(base, { recursive: true, force: true }));

  describe('when every example plugin is checked', () => {
    for (const plugin of ['audit', 'auth', 'settings', 'storage', 'todos', 'users']) {
      it(`accepts ${plugin}: manifest ok, no findings, exit 0`, async () => {
        const run = await modu(['validate', join(examplePlugins, plugin)]);
        expect(run.code, run.stderr).to.equal(0);
        expect(run.stdout).to.match(new RegExp(`^manifest ok: ${plugin}@\\d+\\.\\d+\\.\\d+ \\(entry [^)]+\\)\n`));
        expect(run.stdout)
          .to.contain('findings: none')
          .and.match(/\nvalid\n$/);
      });
    }

    it('prints the manifest, scan and capabilities as JSON with --json', async () => {
      const run = await modu(['validate', join(examplePlugins, 'auth'), '--json']);
      expect(run.code).to.equal(0);
      const json = JSON.parse(run.stdout);
      expect(json).to.include({ manifest: 'ok', plugin: 'auth', version: '2.1.0', valid: true, rejected: false });
      expect(json.requested).to.deep.equal(['node:crypto']);
      expect(json.report.findings).to.deep.equal([]);
      expect(json.problems).to.deep.equal([]);
    });
  });

  describe('when the code uses what the manifest does not ask for', () => {
    it('prints the findings and exits 1', async () => {
      const run = await modu(['validate', join(fixturesDir, 'malicious', 'eval')]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.match(/^manifest ok: mal-eval@1\.0\.0/);
      expect(run.stdout).to.match(/index\.js:\d+:\d+ error eval \[dynamic-code\]/);
      expect(run.stdout).to.match(/dynamic-code\s+NOT ASKED/);
      expect(run.stdout).to.match(/rejected: 1 problem\(s\)\ninvalid\n$/);
    });

    it('reports valid: false in JSON', async () => {
      const run = await modu(['validate', join(fixturesDir, 'malicious', 'process-env'), '--json']);
      expect(run.code).to.equal(1);
      const json = JSON.parse(run.stdout);
      expect(json).to.include({ manifest: 'ok', valid: false });
      expect(json.problems[0]).to.include({ kind: 'not-requested', capability: 'env' });
    });
  });

  describe('when the manifest is broken', () => {
    it('rejects an invalid manifest with each field, line and the fix', async () => {
      const run = await modu(['validate', join(fixturesDir, 'broken', 'bad-manifest')]);
      expect(run.code).to.equal(1);
      expect(run.stdout).to.equal('');
      expect(run.stderr).to.contain('plugin.yaml:2:10 /version must be a semver version');
      expect(run.stderr).to.contain('hint: Fix each field listed in plugin.yaml');
    });

    it('rejects a folder without plugin.yaml', async () => {
      const run = await modu(['validate', join(fixturesDir, 'broken', 'not-a-plugin')]);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^error MODU_/);
    });
  });

  describe('when given a .tgz', () => {
    it('validates the packed plugin the same way', async () => {
      expect((await modu(['pack', join(examplePlugins, 'users'), '--out', base])).code).to.equal(0);
      const run = await modu(['validate', join(base, 'users-1.4.0.tgz'), '--json']);
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout)).to.include({ manifest: 'ok', plugin: 'users', valid: true });
    });

    it('packs a malicious plugin and still rejects it', async () => {
      expect((await modu(['pack', join(fixturesDir, 'malicious', 'eval'), '--out', base])).code).to.equal(0);
      const run = await modu(['validate', join(base, 'mal-eval-1.0.0.tgz')]);
      expect(run.code).to.equal(1);
      expect(run.stdout)
        .to.contain('error eval')
        .and.match(/invalid\n$/);
      // Named by the archive the user gave, not by the temp folder it was extracted to.
      expect(run.stdout).to.contain(
        `does not ask for it in ${join(base, 'mal-eval-1.0.0.tgz')}/plugin.yaml permissions`,
      );
    });
  });
});
