import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { modu } from '../../helpers/cli.js';
import { waitListening } from '../../helpers/wait-listening.js';

const run = promisify(execFile);
/** The checkout: generated apps depend on it with `file:`, as no registry here serves modu. */
const checkout = fileURLToPath(new URL('../../../../', import.meta.url));
const tsc = join(checkout, 'node_modules', '.bin', 'tsc');
const quiet = { ...process.env, MODU_LOG_LEVEL: 'silent', npm_config_update_notifier: 'false' };

/** Runs `npm <args>` in `cwd` offline; rejects with its output when it fails. */
const npm = (cwd: string, ...args: string[]) =>
  run('npm', [...args, '--offline', '--no-audit', '--no-fund'], { cwd, env: quiet, timeout: 120_000 });

/** `modu start` from the app's own node_modules, until it listens. */
async function start(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [join(cwd, 'node_modules', 'modu', 'dist', 'cli', 'bin.js'), 'start', '--port', '0'],
    {
      cwd,
      env: quiet,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, url: await waitListening(child, () => output) };
}

describe('modu init and modu new plugin', function () {
  this.timeout(180_000);
  let scratch: string;
  let app: string;

  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'modu-scaffold-'));
    app = join(scratch, 'my-app');
  });
  after(() => rm(scratch, { recursive: true, force: true }));

  describe('modu init <dir>', () => {
    it('creates an app and prints what to run next', async () => {
      const result = await modu(['init', 'my-app', '--modu', `file:${checkout}`], scratch);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('plugins/hello/plugin.yaml').and.include('npm install').and.include('npm test');
      const pkg = JSON.parse(await readFile(join(app, 'package.json'), 'utf8'));
      expect(pkg).to.deep.include({ name: 'my-app', type: 'module' });
      expect(pkg.dependencies.modu).to.equal(`file:${checkout}`);
    });

    it('depends on the released version range unless told otherwise', async () => {
      const result = await modu(['init', 'other', '--json'], scratch);
      const pkg = JSON.parse(await readFile(join(scratch, 'other', 'package.json'), 'utf8'));
      expect(pkg.dependencies.modu).to.equal('^1.0.0');
      expect(JSON.parse(result.stdout).next).to.deep.equal(['cd other', 'npm install', 'npx modu start', 'npm test']);
    });

    it('installs, passes its own npm test, and serves its plugin with modu start', async () => {
      await npm(app, 'install');
      const { stdout } = await run('npm', ['test'], { cwd: app, env: quiet, timeout: 120_000 });
      expect(stdout)
        .to.match(/[#ℹ] pass 2\b/)
        .and.match(/[#ℹ] fail 0\b/);
      const host = await start(app);
      try {
        const res = await fetch(`${host.url}/hello/world`);
        expect(res.status).to.equal(200);
        expect(await res.json()).to.deep.equal({ message: 'Hello, world' });
      } finally {
        host.child.kill('SIGTERM');
        const [code] = await once(host.child, 'exit');
        expect(code).to.equal(0);
      }
    });

    it('refuses to overwrite an existing app, naming the files', async () => {
      const result = await modu(['init', 'my-app'], scratch);
      expect(result.code).to.equal(1);
      expect(result.stderr).to.match(/MODU_CLI_SCAFFOLD_EXISTS: .*package\.json, modu\.yaml/);
    });
  });

  describe('modu new plugin <name> --ts', () => {
    it('creates a TypeScript plugin with a build script, whose build passes validation and its test', async () => {
      const result = await modu(['new', 'plugin', 'greeter', '--ts'], app);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.include('src/greeter/index.ts').and.include('npx tsc -p src/greeter');
      const pkg = JSON.parse(await readFile(join(app, 'package.json'), 'utf8'));
      expect(pkg.scripts).to.deep.include({ build: 'tsc -p src/greeter', pretest: 'npm run build' });
      const tsconfig = JSON.parse(await readFile(join(app, 'src', 'greeter', 'tsconfig.json'), 'utf8'));
      expect(tsconfig.compilerOptions).to.include({ experimentalDecorators: true, emitDecoratorMetadata: true });
      await run(tsc, ['-p', 'src/greeter'], { cwd: app, timeout: 60_000 });
      const scanned = await modu(['validate', 'plugins/greeter'], app);
      expect(scanned.code, scanned.stdout + scanned.stderr).to.equal(0);
      const { stdout } = await run(process.execPath, ['--test', 'test/greeter.test.js'], { cwd: app, env: quiet });
      expect(stdout).to.match(/[#ℹ] pass 2\b/);
    });
  });

  describe('modu new plugin <name> --dir DIR', () => {
    it('creates a JavaScript plugin in the folder given, with its test', async () => {
      const result = await modu(['new', 'plugin', 'clock', '--dir', 'extra'], app);
      expect(result.code, result.stderr).to.equal(0);
      expect(await readFile(join(app, 'extra', 'clock', 'index.js'), 'utf8')).to.include("from 'modu'");
      const { stdout } = await run(process.execPath, ['--test', 'test/clock.test.js'], { cwd: app, env: quiet });
      expect(stdout).to.match(/[#ℹ] pass 2\b/);
    });

    it('refuses an invalid name (exit 1) and a missing name (usage, exit 2)', async () => {
      await mkdir(join(scratch, 'empty'), { recursive: true });
      const bad = await modu(['new', 'plugin', 'Bad_Name'], join(scratch, 'empty'));
      expect(bad.code).to.equal(1);
      expect(bad.stderr).to.include('MODU_CLI_NAME_INVALID');
      expect((await modu(['new', 'plugin'], join(scratch, 'empty'))).code).to.equal(2);
    });
  });
});
