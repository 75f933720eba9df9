import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type CodeBlock, codeBlocks } from './helpers/code-blocks.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

/** A block that is a file of the guide's app (its first line names the path), or a list of commands. */
type GuideBlock = { kind: 'file'; path: string; text: string } | { kind: 'commands'; lines: string[] };

function classify(block: CodeBlock): GuideBlock {
  const [first = '', ...rest] = block.text.split('\n');
  if (block.lang === 'sh' && first.startsWith('# shell:')) {
    return { kind: 'commands', lines: rest.filter((line) => line.trim() !== '') };
  }
  const file = /^(?:\/\/|#) ([\w./-]+\.(?:js|ts|yaml|json))$/.exec(first);
  if (file?.[1] === undefined) throw new Error(`docs/authoring.md has a block no test runs:\n${block.text}`);
  return { kind: 'file', path: file[1], text: block.text };
}

/** Runs one command line of the guide in `app`, with this checkout's modu and tsc standing in for npx's. */
async function runLine(app: string, line: string): Promise<string> {
  const [command, ...args] = line.trim().split(/\s+/);
  const [file, argv] =
    command === 'npx' && args[0] === 'modu'
      ? [process.execPath, [join(root, 'dist', 'cli', 'bin.js'), ...args.slice(1)]]
      : command === 'npx' && args[0] === 'tsc'
        ? [join(root, 'node_modules', '.bin', 'tsc'), args.slice(1)]
        : command === 'node'
          ? [process.execPath, args]
          : [undefined, []];
  if (file === undefined) throw new Error(`docs/authoring.md runs a command the test cannot: ${line}`);
  try {
    return (await run(file, argv, { cwd: app })).stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${line} failed in ${app}:\n${stdout}\n${stderr}`);
  }
}

describe('docs/authoring.md', function () {
  this.timeout(120_000);
  let app: string;
  after(async function () {
    if (this.currentTest?.state !== 'failed') await rm(app, { recursive: true, force: true });
  });

  it('runs every code block as written: the plugins load, the TypeScript builds, every test passes', async () => {
    const guide = await readFile(join(root, 'docs', 'authoring.md'), 'utf8');
    const blocks = codeBlocks(guide).map(classify);
    app = await mkdtemp(join(tmpdir(), 'modu-guide-'));
    // An app as `modu init` makes it, depending on this checkout, with `npm install express` done.
    await writeFile(join(app, 'package.json'), '{ "name": "guide", "type": "module" }\n');
    await mkdir(join(app, 'node_modules'));
    await symlink(root, join(app, 'node_modules', 'modu'), 'dir');
    await symlink(join(root, 'node_modules', 'express'), join(app, 'node_modules', 'express'), 'dir');

    const lines = blocks.flatMap((b) => (b.kind === 'commands' ? b.lines : []));
    const scaffolds = lines.filter((line) => line.startsWith('npx modu '));
    for (const line of scaffolds) await runLine(app, line);
    const files = blocks.flatMap((b) => (b.kind === 'file' ? [b] : []));
    for (const file of files) {
      await mkdir(dirname(join(app, file.path)), { recursive: true });
      await writeFile(join(app, file.path), file.text);
    }
    let output = '';
    for (const line of lines.filter((l) => !scaffolds.includes(l))) output = await runLine(app, line);

    const tests = files
      .filter((file) => file.path.startsWith('test/'))
      .reduce((n, file) => n + (file.text.match(/^test\(/gm)?.length ?? 0), 0);
    expect(tests).to.be.greaterThan(5);
    expect(output)
      .to.match(new RegExp(`[#ℹ] pass ${tests}\\b`))
      .and.match(/[#ℹ] fail 0\b/);
  });
});
