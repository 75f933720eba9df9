import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { entryFormat } from '../../../../kernel/loader/module-gate/entry-format.js';

describe('entryFormat()', () => {
  let app: string;
  let root: string;

  beforeEach(async () => {
    app = await mkdtemp(join(tmpdir(), 'modu-entry-format-'));
    root = join(app, 'plugins', 'p');
    await mkdir(join(root, 'node_modules', 'dep'), { recursive: true });
  });
  afterEach(() => rm(app, { recursive: true, force: true }));

  describe('when the extension decides', () => {
    it('answers commonjs for .cjs and module for .mjs, whatever the package type', async () => {
      await writeFile(join(app, 'package.json'), '{ "type": "module" }');
      expect(await entryFormat(join(root, 'index.cjs'), root)).to.equal('commonjs');
      await writeFile(join(app, 'package.json'), '{ "type": "commonjs" }');
      expect(await entryFormat(join(root, 'index.mjs'), root)).to.equal('module');
    });
  });

  describe('when a .js file has a package scope above the plugin', () => {
    it('answers the type of the nearest package.json', async () => {
      await writeFile(join(app, 'package.json'), '{ "type": "module" }');
      expect(await entryFormat(join(root, 'index.js'), root)).to.equal('module');
    });
  });

  describe('when Node would detect the format from the syntax', () => {
    it('answers undefined for a package.json without a type', async () => {
      await writeFile(join(root, 'package.json'), '{ "name": "p" }');
      await writeFile(join(app, 'package.json'), '{ "type": "module" }');
      expect(await entryFormat(join(root, 'index.js'), root)).to.equal(undefined);
    });

    it('answers undefined for a file in node_modules, where Node stops looking for a package scope', async () => {
      await writeFile(join(app, 'package.json'), '{ "type": "module" }');
      expect(await entryFormat(join(root, 'node_modules', 'dep', 'index.js'), root)).to.equal(undefined);
    });
  });
});
