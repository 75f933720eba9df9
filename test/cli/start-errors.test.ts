import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { cliLogger, prettyLine } from '../../cli/host/cli-logger.js';
import { pluginManifest, pluginsFolder, removeScratch, writePlugin } from '../helpers/fixtures.js';
import { waitListening } from '../helpers/wait-listening.js';

const bin = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));

/** `modu start <args>` in `cwd`, collecting stdout and stderr apart. */
function spawnStart(
  cwd: string,
  args: string[],
  extra: Record<string, string> = {},
): { child: ChildProcess; out: () => string; err: () => string } {
  const env = { ...process.env, ...extra };
  delete env.MODU_LOG_LEVEL;
  const child = spawn(process.execPath, [bin, 'start', ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  return { child, out: () => out, err: () => err };
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );
const listening = (run: ReturnType<typeof spawnStart>) => waitListening(run.child, () => run.out() + run.err());

const plain = `import { definePlugin } from 'modu';
export default definePlugin({ routes: [{ method: 'GET', path: '/', handler: () => 'hi' }] });
`;
const marker = `import { writeFileSync } from 'node:fs';
import { definePlugin } from 'modu';
export default definePlugin({ onStart: ({ config }) => writeFileSync(config.file, 'started') });
`;

describe('modu start, when things go wrong', function () {
  this.timeout(60_000);
  let plugins: string;
  let cwd: string;
  let started: string;

  before(async () => {
    plugins = await pluginsFolder();
    cwd = await mkdtemp(join(tmpdir(), 'modu-start-'));
    started = join(cwd, 'started.txt');
    await writePlugin(plugins, 'hi', { 'plugin.yaml': pluginManifest('hi'), 'index.js': plain });
    await writePlugin(plugins, 'marker', {
      'plugin.yaml': pluginManifest('marker', 'permissions: [node:fs]\n'),
      'index.js': marker,
    });
    // Only a modu.yaml can grant node:fs: the marker plugin starts under it, and fails without it.
    await writeFile(
      join(cwd, 'modu.yaml'),
      `pluginDirs: [${plugins}]\nplugins:\n  marker:\n    grants: [node:fs]\n    config: { file: ${started} }\n`,
    );
  });
  after(removeScratch);

  describe('when --plugins is given and there is no modu.yaml', () => {
    it("serves with Modu's defaults, not the example app's config, and logs JSON with an access line at --verbose", async () => {
      const elsewhere = await mkdtemp(join(tmpdir(), 'modu-start-'));
      const run = spawnStart(elsewhere, ['--plugins', plugins, '--port', '0', '--verbose']);
      try {
        const url = await listening(run);
        expect(run.out()).to.include('Modu defaults (no modu.yaml)');
        expect(await (await fetch(`${url}/hi`)).text()).to.equal('hi');
        const names = ((await (await fetch(`${url}/_modu/plugins`)).json()) as Array<{ name: string }>).map(
          (p) => p.name,
        );
        expect(names).to.deep.equal(['hi', 'marker']);
        expect(run.err()).to.match(/"plugin":"marker","phase":"validate","code":"MODU_PERMISSION_DENIED"/);
        const deadline = Date.now() + 10_000;
        while (!run.err().includes('"path":"/hi"') && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        const accessLines = run
          .err()
          .split('\n')
          .filter((line) => line.includes('"msg":"request"'))
          .map((line) => JSON.parse(line));
        expect(accessLines.find((entry) => entry.path === '/hi')).to.include({ method: 'GET', status: 200, level: 20 });
      } finally {
        run.child.kill('SIGTERM');
        await once(run.child, 'exit');
      }
    });
  });

  describe('when the port is free, with a modu.yaml', () => {
    it('starts the plugins it grants (the marker plugin writes its file)', async () => {
      const run = spawnStart(cwd, ['--port', '0']);
      try {
        await listening(run);
        expect(await exists(started)).to.equal(true);
      } finally {
        run.child.kill('SIGTERM');
        await once(run.child, 'exit');
        await rm(started, { force: true });
      }
    });
  });

  describe('when the port is in use', () => {
    it('exits 1 with MODU_CLI_PORT_IN_USE before any plugin starts', async () => {
      const blocker = createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      const port = (blocker.address() as { port: number }).port;
      const run = spawnStart(cwd, ['--port', String(port)]);
      try {
        const [code] = await once(run.child, 'exit');
        expect(code).to.equal(1);
        expect(run.err()).to.include(`error MODU_CLI_PORT_IN_USE: Port ${port} on 127.0.0.1 is in use`);
        expect(run.err()).to.not.include('this is a bug');
        expect(await exists(started)).to.equal(false);
      } finally {
        blocker.close();
      }
    });
  });

  describe('when --port is not a port', () => {
    for (const port of ['abc', '70000', '-1']) {
      it(`exits 2 with a usage error for --port ${port}`, async () => {
        const run = spawnStart(cwd, ['--plugins', plugins, '--port', port]);
        const [code] = await once(run.child, 'exit');
        expect(code).to.equal(2);
        expect(run.err()).to.include('expected a port number from 0 to 65535');
      });
    }
  });
});

describe('cliLogger()', () => {
  it('writes one readable line per entry on a terminal, and JSON lines otherwise', () => {
    let pretty = '';
    cliLogger({ write: (text: string) => (pretty += text) }, { pretty: true, level: 'info' })
      .child({ plugin: 'users' })
      .info({ pageSize: 2 }, 'ready');
    expect(pretty).to.match(/^\d\d:\d\d:\d\d INFO {2}users: ready pageSize=2\n$/);
    let json = '';
    cliLogger({ write: (text: string) => (json += text) }, { pretty: false, level: 'info' }).info('x');
    expect(JSON.parse(json)).to.include({ level: 30, msg: 'x' });
  });

  it('passes a line that is not JSON through as it is', () => {
    expect(prettyLine('plain')).to.equal('plain');
  });
});
