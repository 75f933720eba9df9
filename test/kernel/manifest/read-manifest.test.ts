import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { readManifest } from '../../../kernel/index.js';
import { rejection } from '../../helpers/rejection.js';

async function pluginFolder(manifest: string, files: Record<string, string> = { 'index.js': '' }): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'modu-manifest-'));
  await writeFile(join(root, 'plugin.yaml'), manifest);
  for (const [name, text] of Object.entries(files)) await writeFile(join(root, name), text);
  return root;
}

describe('readManifest()', () => {
  const roots: string[] = [];
  after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));
  const folder = async (manifest: string, files?: Record<string, string>) => {
    const root = await pluginFolder(manifest, files);
    roots.push(root);
    return root;
  };

  describe('when the manifest is valid', () => {
    it('returns the manifest and the absolute entry path', async () => {
      const root = await folder('name: users\nversion: 1.4.0\nmain: index.js\nkernel: ^1.0.0\n');
      const pkg = await readManifest(root);
      expect(pkg.manifest.name).to.equal('users');
      expect(pkg.entry).to.equal(join(root, 'index.js'));
    });
  });

  describe('when the YAML is malformed', () => {
    it('names the file and the line', async () => {
      const root = await folder('name: users\nversion: [1.4.0\n');
      const error = await rejection(readManifest(root));
      expect(error.code).to.equal('MODU_YAML_INVALID');
      expect(error.message).to.contain(join(root, 'plugin.yaml'));
      expect(error.details.line).to.be.a('number');
    });
  });

  describe('when fields are wrong', () => {
    it('reports every problem at once with pointer and line', async () => {
      const root = await folder('name: Users\nversion: one\nmain: index.ts\nkernel: ^1.0.0\ncolour: red\n');
      const error = await rejection(readManifest(root));
      expect(error.code).to.equal('MODU_MANIFEST_INVALID');
      const problems = error.details.problems as Array<{ pointer: string; line?: number }>;
      expect(problems.map((p) => p.pointer)).to.include.members(['/name', '/version', '/main', '/colour']);
      expect(problems.find((p) => p.pointer === '/version')?.line).to.equal(2);
      expect(error.message).to.contain('/version must be a semver version such as \'1.4.0\' (got "one")');
    });

    it('names a required field that is missing', async () => {
      const root = await folder('name: users\nmain: index.js\nkernel: ^1.0.0\n');
      const error = await rejection(readManifest(root));
      expect(error.message).to.match(/\/version is required/);
    });
  });

  describe('when main escapes the folder or is missing', () => {
    it('rejects a main outside the plugin folder', async () => {
      const root = await folder('name: users\nversion: 1.0.0\nmain: ../evil.js\nkernel: ^1.0.0\n');
      const error = await rejection(readManifest(root));
      expect(error.code).to.equal('MODU_MANIFEST_INVALID');
      expect(error.details.pointer).to.equal('/main');
    });

    it('rejects a main that does not exist', async () => {
      const root = await folder('name: users\nversion: 1.0.0\nmain: dist/index.js\nkernel: ^1.0.0\n', {});
      const error = await rejection(readManifest(root));
      expect(error.code).to.equal('MODU_MANIFEST_MAIN_MISSING');
    });
  });
});
