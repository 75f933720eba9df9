import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { block } from './helpers/code-blocks.js';
import { fixturesDir } from './helpers/fixtures.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

async function write(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
}

describe('README: testing and typed authoring', function () {
  this.timeout(90_000);
  let app: string;
  let readme: string;

  before(async () => {
    readme = await readFile(join(root, 'README.md'), 'utf8');
    app = await mkdtemp(join(tmpdir(), 'modu-readme-'));
    // An app as `modu init` makes it, depending on this checkout.
    await mkdir(join(app, 'node_modules'));
    await symlink(root, join(app, 'node_modules', 'modu'), 'dir');
    await cp(join(fixturesDir, 'example', 'plugins', 'auth'), join(app, 'plugins', 'auth'), { recursive: true });
    await write(app, {
      'package.json': '{ "type": "module" }\n',
      'plugins/greeter/plugin.yaml': block(readme, '# plugins/greeter/plugin.yaml'),
      'plugins/greeter/index.js': block(readme, '// plugins/greeter/index.js'),
      'test/greeter.test.js': block(readme, '// test/greeter.test.js'),
    });
  });
  after(() => rm(app, { recursive: true, force: true }));

  it('runs the modu/testing example as written, with node --test', async () => {
    const { stdout } = await run(process.execPath, ['--test', 'test/greeter.test.js'], { cwd: app });
    expect(stdout)
      .to.match(/[#ℹ] pass 2\b/)
      .and.match(/[#ℹ] fail 0\b/);
  });

  it('type-checks the typed authoring example with the settings `modu new plugin --ts` writes', async () => {
    const tsconfig = {
      compilerOptions: {
        target: 'ES2023',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        experimentalDecorators: true,
        emitDecoratorMetadata: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['*.ts'],
    };
    await write(app, {
      'src/greeter/index.ts': block(readme, '// src/greeter/index.ts'),
      'src/greeter/tsconfig.json': JSON.stringify(tsconfig),
    });
    await run(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'src/greeter'], { cwd: app });
  });
});
