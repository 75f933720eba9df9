import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { create } from 'tar';
import type { CliIO } from '../../../cli/cli-io.js';
import { runCli } from '../../../cli/main.js';

const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));

async function modu(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    cwd,
    env: {},
  };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

describe('modu scan', () => {
  let base = '';
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'modu-cli-scan-'));
  });
  after(() => rm(base, { recursive: true, force: true }));

  async function pluginFolder(name: string, code: string, permissions: string[] = []): Promise<string> {
    const root = join(base, name);
    await mkdir(root, { recursive: true });
    const asks = permissions.length > 0 ? `permissions:\n${permissions.map((p) => `  - ${p}\n`).join('')}` : '';
    await writeFile(
      join(root, 'plugin.yaml'),
      `name: ${name}\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n${asks}`,
    );
    await writeFile(join(root, 'index.js'), code);
    return root;
  }

  describe('when the plugin is clean', () => {
    it('prints the report and exits 0', async () => {
      const result = await modu(['scan', 'benign/harmless-builtins'], fixtures);
      expect(result.code).to.equal(0);
      expect(result.stdout)
        .to.contain('ok-harmless-builtins@1.0.0')
        .and.contain('findings: none')
        .and.contain('accepted');
    });
  });

  describe('when the plugin would be rejected', () => {
    it('prints file:line:col findings and the problems, and exits 1', async () => {
      const result = await modu(['scan', join(fixtures, 'malicious/string-concat')], base);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.contain('index.js:1:12 error import-builtin [node:child_process]');
      expect(result.stdout).to.match(/node:child_process\s+NOT ASKED/);
      expect(result.stdout).to.contain('rejected');
    });

    it('prints JSON with --json', async () => {
      const result = await modu(['scan', 'malicious/process-env', '--json'], fixtures);
      expect(result.code).to.equal(1);
      const json = JSON.parse(result.stdout);
      expect(json.rejected).to.equal(true);
      expect(json.report.capabilities).to.deep.equal(['env']);
      expect(json.problems[0].kind).to.equal('not-requested');
    });
  });

  describe('when --grant names what the host grants', () => {
    it('rejects a manifest that asks for more', async () => {
      const root = await pluginFolder('asks-fs', "import 'node:fs';\n", ['node:fs']);
      expect((await modu(['scan', root], base)).code).to.equal(0);
      const denied = await modu(['scan', root, '--grant', 'env', '--json'], base);
      expect(denied.code).to.equal(1);
      expect(JSON.parse(denied.stdout).problems[0]).to.include({ kind: 'not-granted', capability: 'node:fs' });
    });
  });

  describe('when given a .tgz', () => {
    it('scans the plugin inside it', async () => {
      await pluginFolder('packed', "require('net');\n");
      const file = join(base, 'packed.tgz');
      await create({ gzip: true, file, cwd: base }, ['packed']);
      const result = await modu(['scan', file, '--json'], base);
      expect(result.code).to.equal(1);
      expect(JSON.parse(result.stdout).report.capabilities).to.deep.equal(['node:net']);
    });

    it('scans an archive made by modu pack (plugin.yaml at the root)', async () => {
      expect((await modu(['pack', 'benign/harmless-builtins', '--out', base], fixtures)).code).to.equal(0);
      const result = await modu(['scan', join(base, 'ok-harmless-builtins-1.0.0.tgz')], base);
      expect(result.code).to.equal(0);
      expect(result.stdout).to.contain('ok-harmless-builtins@1.0.0').and.contain('accepted');
    });

    it('rejects the whole archive with the registry codes when it holds links or paths leaving its root', async () => {
      const root = await pluginFolder('linked', '');
      await symlink('/etc/passwd', join(root, 'passwd.js'));
      const linked = join(base, 'linked.tgz');
      await create({ gzip: true, file: linked, cwd: base }, ['linked']);
      const result = await modu(['scan', linked], base);
      expect(result.code).to.equal(1);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.match(
        /^error MODU_REGISTRY_ARCHIVE_UNSAFE: Archive entry "linked\/passwd.js" is a SymbolicLink/,
      );

      const escaping = join(base, 'escaping.tgz');
      await create({ gzip: true, file: escaping, cwd: root, preservePaths: true }, ['../packed/index.js']);
      expect((await modu(['scan', escaping], base)).stderr)
        .to.contain('MODU_REGISTRY_ARCHIVE_UNSAFE')
        .and.contain('climbs out with ..');
    });

    it('rejects a file that is not a gzip-compressed tar', async () => {
      const fake = join(base, 'fake.tgz');
      await writeFile(fake, 'plugin.yaml');
      const result = await modu(['scan', fake], base);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.contain('MODU_REGISTRY_ARCHIVE_INVALID').and.contain('not gzip-compressed');
    });
  });
});
