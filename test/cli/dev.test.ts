import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';

const bin = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));

/** A plugin answering GET /<name>/ with `{ label }`. */
async function writeValuePlugin(root: string, name: string, label: string, dependency?: string): Promise<void> {
  await mkdir(join(root, 'plugins', name), { recursive: true });
  const needs = dependency === undefined ? '' : `dependencies:\n  ${dependency}: ^1.0.0\n`;
  await writeFile(
    join(root, 'plugins', name, 'plugin.yaml'),
    `name: ${name}\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n${needs}`,
  );
  await writeFile(
    join(root, 'plugins', name, 'index.js'),
    `import { definePlugin } from 'modu';\nexport default definePlugin({ routes: [{ method: 'GET', path: '/', handler: () => ({ label: '${label}' }) }] });\n`,
  );
}

describe('modu dev', function () {
  this.timeout(60_000);
  let root: string;
  let child: ChildProcess;
  let output = '';

  /** Waits until the output (after `from`) matches, within a generous budget for a loaded machine. */
  async function waitFor(pattern: RegExp, from = 0): Promise<RegExpExecArray> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const match = pattern.exec(output.slice(from));
      if (match !== null) return match;
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${pattern} in:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const label = async (url: string) => {
    const response = await fetch(url);
    return response.ok ? ((await response.json()) as { label: string }).label : response.status;
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'modu-dev-'));
    await writeFile(join(root, 'modu.yaml'), 'pluginDirs: [plugins]\ncacheDir: .modu/cache\n');
    await writeValuePlugin(root, 'hello', 'v1');
    child = spawn(process.execPath, [bin, 'dev', '--config', join(root, 'modu.yaml'), '--port', '0'], {
      cwd: root,
      env: { ...process.env, MODU_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(/modu dev: watching/);
  });
  after(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  });

  it('reloads a changed plugin, keeps it serving through a broken save, loads a new folder and unloads a removed one', async () => {
    const url = ((/listening on (http:\/\/\S+)/.exec(output) as RegExpExecArray)[1] as string).replace(/\/$/, '');
    expect(await label(`${url}/hello/`)).to.equal('v1');

    let mark = output.length;
    await writeValuePlugin(root, 'hello', 'v2');
    await waitFor(/modu dev: reloaded hello in \d+ ms/, mark);
    expect(await label(`${url}/hello/`)).to.equal('v2');

    mark = output.length;
    await writeFile(join(root, 'plugins', 'hello', 'index.js'), "throw new Error('half-typed');\n");
    await waitFor(/modu dev: hello failed in \d+ ms: MODU_LIFECYCLE_RELOAD_FAILED/, mark);
    expect(await label(`${url}/hello/`)).to.equal('v2');

    mark = output.length;
    await writeValuePlugin(root, 'hello', 'v3');
    await waitFor(/modu dev: reloaded hello in \d+ ms/, mark);
    expect(await label(`${url}/hello/`)).to.equal('v3');

    // An editor's atomic save replaces the file by a rename; an in-place write after it is seen all the same.
    mark = output.length;
    const entry = join(root, 'plugins', 'hello', 'index.js');
    await writeFile(`${entry}.tmp`, (await readFile(entry, 'utf8')).replace("'v3'", "'v4'"));
    await rename(`${entry}.tmp`, entry);
    await waitFor(/modu dev: reloaded hello in \d+ ms/, mark);
    expect(await label(`${url}/hello/`)).to.equal('v4');
    mark = output.length;
    await writeFile(entry, (await readFile(entry, 'utf8')).replace("'v4'", "'v5'"));
    await waitFor(/modu dev: reloaded hello in \d+ ms/, mark);
    expect(await label(`${url}/hello/`)).to.equal('v5');

    mark = output.length;
    await writeValuePlugin(root, 'extra', 'e1');
    await waitFor(/modu dev: loaded extra in \d+ ms/, mark);
    expect(await label(`${url}/extra/`)).to.equal('e1');

    mark = output.length;
    await rm(join(root, 'plugins', 'extra'), { recursive: true });
    await waitFor(/modu dev: unloaded extra in \d+ ms/, mark);
    expect(await label(`${url}/extra/`)).to.equal(404);

    // A plugin that failed to load comes back once fixed, with the plugins skipped because of it.
    mark = output.length;
    await mkdir(join(root, 'plugins', 'base'));
    await writeFile(join(root, 'plugins', 'base', 'index.js'), "throw new Error('not yet');\n");
    await writeFile(
      join(root, 'plugins', 'base', 'plugin.yaml'),
      'name: base\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n',
    );
    await waitFor(/modu dev: base failed in \d+ ms: /, mark);
    mark = output.length;
    await writeValuePlugin(root, 'user', 'u1', 'base');
    await waitFor(/modu dev: user skipped in \d+ ms: /, mark);
    mark = output.length;
    await writeValuePlugin(root, 'base', 'b1');
    await waitFor(/modu dev: loaded base \(with user\) in \d+ ms/, mark);
    expect(await label(`${url}/user/`)).to.equal('u1');

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).to.equal(0);
  });
});
