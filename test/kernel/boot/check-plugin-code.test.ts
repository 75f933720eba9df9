import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { checkPluginCode } from '../../../kernel/boot/check-plugin-code.js';
import { ModuError, readManifest } from '../../../kernel/index.js';

describe('checkPluginCode()', () => {
  let base = '';
  before(async () => {
    base = await mkdtemp(join(tmpdir(), 'modu-check-code-'));
  });
  after(() => rm(base, { recursive: true, force: true }));

  async function plugin(name: string, files: Record<string, string>) {
    const root = join(base, name);
    const manifest = `name: ${name}\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n`;
    for (const [file, text] of Object.entries({ 'plugin.yaml': manifest, ...files })) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await writeFile(join(root, file), text);
    }
    return readManifest(root);
  }

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => expect.fail('expected a rejection'),
      (error: unknown) => error as ModuError,
    );

  describe('when the code does not parse under the goal Node uses', () => {
    it('throws MODU_SCAN_SYNTAX_ERROR with file, line, column and goal, not a permission denial', async () => {
      const pkg = await plugin('commonjs-with-import', {
        'package.json': '{ "type": "commonjs" }',
        'index.js': "const a = 1;\nimport fs from 'node:fs';\n",
      });
      const error = await failure(checkPluginCode(pkg, [], join(base, 'cache')));
      expect(ModuError.is(error)).to.equal(true);
      expect(error.code).to.equal('MODU_SCAN_SYNTAX_ERROR');
      expect(error.message)
        .to.match(/index\.js:2:\d+ /)
        .and.contain('as a CommonJS script');
      expect(error.hint).to.not.contain('grant');
    });

    it('parses a .js file under "type": "module" as a module only', async () => {
      const pkg = await plugin('module-with-with', {
        'package.json': '{ "type": "module" }',
        'index.js': 'with (Math) { max(1, 2); }\nexport default {};\n',
      });
      const error = await failure(checkPluginCode(pkg, [], join(base, 'cache')));
      expect(error.code).to.equal('MODU_SCAN_SYNTAX_ERROR');
      expect(error.message)
        .to.match(/index\.js:1:\d+ /)
        .and.contain('as an ES module');
    });
  });

  describe('when the code passes', () => {
    it('approves exactly the files its scan read at the gate it is given', async () => {
      const pkg = await plugin('approved', {
        'index.js': 'export default {};\n',
        'data.json': '{}',
        'src/index.ts': 'export default {};\n',
        'notes.txt': 'hello',
      });
      const approved: string[] = [];
      const gate = {
        approve: async (_root: string, scan: { approved?: Readonly<Record<string, unknown>> }) => {
          approved.push(...Object.keys(scan.approved ?? {}));
        },
      };
      await checkPluginCode(pkg, [], join(base, 'cache'), gate);
      expect(approved.sort()).to.deep.equal(['data.json', 'index.js']);
    });
  });
});
