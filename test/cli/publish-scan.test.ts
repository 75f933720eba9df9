import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { CliIO } from '../../cli/cli-io.js';
import { runCli } from '../../cli/main.js';
import { modu } from '../helpers/cli.js';
import { examplePlugins, fixturesDir } from '../helpers/fixtures.js';

describe('modu registry publish and serve: the security scan', () => {
  let base = '';
  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'modu-cli-publish-'));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  async function plugin(name: string, code: string, permissions: string[]): Promise<string> {
    const root = join(base, name);
    await mkdir(root);
    const asks = permissions.length > 0 ? `permissions: [${permissions.join(', ')}]\n` : '';
    await writeFile(
      join(root, 'plugin.yaml'),
      `name: ${name}\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n${asks}`,
    );
    await writeFile(join(root, 'index.js'), code);
    return root;
  }

  const versions = (name: string) =>
    readdir(join(base, '.modu', 'registry', 'plugins', name, 'versions')).catch(() => []);

  describe('when the plugin uses what its manifest does not ask for', () => {
    it('refuses a malicious fixture folder with MODU_REGISTRY_SCAN_FAILED and stores nothing', async () => {
      const run = await modu(['registry', 'publish', join(fixturesDir, 'malicious', 'eval')], base);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^error MODU_REGISTRY_SCAN_FAILED: mal-eval@1\.0\.0 fails the security scan/);
      expect(run.stderr).to.match(
        /not-requested dynamic-code: uses dynamic-code at index\.js:\d+:\d+ but does not ask for it in plugin\.yaml perm/,
      );
      expect(run.stderr).to.contain('hint: Fix each finding listed');
      expect(await versions('mal-eval')).to.deep.equal([]);
    });

    it('refuses the same plugin packed as a .tgz', async () => {
      expect((await modu(['pack', join(fixturesDir, 'malicious', 'process-env'), '--out', base], base)).code).to.equal(
        0,
      );
      const run = await modu(['registry', 'publish', 'mal-process-env-1.0.0.tgz'], base);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('MODU_REGISTRY_SCAN_FAILED').and.contain('env');
    });

    it('refuses a built-in the manifest does not ask for', async () => {
      const root = await plugin('reads-files', "import { readFileSync } from 'node:fs';\nreadFileSync('x');\n", []);
      const run = await modu(['registry', 'publish', root], base);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.contain('MODU_REGISTRY_SCAN_FAILED').and.contain('node:fs');
    });
  });

  describe('when the plugin passes', () => {
    it('records the real scan of an example plugin', async () => {
      const run = await modu(['registry', 'publish', join(examplePlugins, 'auth'), '--json'], base);
      expect(run.code, run.stderr).to.equal(0);
      const { scan } = JSON.parse(run.stdout);
      expect(scan).to.include({ status: 'passed', findings: 0 });
      expect(scan.contentHash).to.match(/^[0-9a-f]{64}$/);
      expect((await modu(['registry', 'publish', join(examplePlugins, 'users')], base)).stdout).to.contain(
        'scan passed',
      );
    });

    it('publishes a capability the manifest asks for, recorded as a warning', async () => {
      const root = await plugin('reads-files', "import { readFileSync } from 'node:fs';\nreadFileSync('x');\n", [
        'node:fs',
      ]);
      const run = await modu(['registry', 'publish', root, '--json'], base);
      expect(run.code, run.stderr).to.equal(0);
      expect(JSON.parse(run.stdout).scan).to.include({ status: 'warnings', findings: 1 });
      expect(JSON.parse(run.stdout).scan.capabilities).to.deep.equal(['node:fs']);
    });
  });

  describe('when publishing over HTTP to modu registry serve', () => {
    it('the server scans and refuses with the same code', async () => {
      let stdout = '';
      const io: CliIO = {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: () => true },
        cwd: base,
        env: { MODU_REGISTRY_TOKEN: 'tok' },
      };
      const serving = runCli(['registry', 'serve', '--port', '0'], io);
      while (!stdout.includes('serving')) await new Promise((r) => setTimeout(r, 10));
      const url = /on (http:\S+)/.exec(stdout)?.[1] ?? '';
      const refused = await modu(
        ['registry', 'publish', join(fixturesDir, 'malicious', 'eval'), '--registry', url, '--token', 'tok'],
        base,
      );
      const accepted = await modu(
        ['registry', 'publish', join(examplePlugins, 'auth'), '--registry', url, '--token', 'tok', '--json'],
        base,
      );
      process.emit('SIGTERM');
      expect(await serving).to.equal(0);
      expect(refused.code).to.equal(1);
      expect(refused.stderr).to.contain('MODU_REGISTRY_SCAN_FAILED').and.contain('mal-eval@1.0.0');
      expect(accepted.code, accepted.stderr).to.equal(0);
      expect(JSON.parse(accepted.stdout).scan.status).to.equal('passed');
    });
  });
});
