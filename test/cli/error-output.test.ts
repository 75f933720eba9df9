import { expect } from 'chai';
import { createKernel } from '../../kernel/index.js';
import { modu } from '../helpers/cli.js';
import { pluginManifest, pluginsFolder, removeScratch, writePlugin } from '../helpers/fixtures.js';
import { captureLogger, type LogEntry } from '../kernel/http/test-host.js';

describe('modu errors', () => {
  after(removeScratch);

  describe('with --json, on every kind of command', () => {
    for (const argv of [
      ['validate', 'no-such-dir', '--json'],
      ['scan', 'no-such-dir', '--json'],
      ['graph', '--plugins', 'no-such-dir', '--format', 'json', '--json'],
      ['pack', 'no-such-dir', '--json'],
      ['new', 'plugin', 'Bad_Name', '--json'],
    ]) {
      it(`prints { error: { code, message, hint, details } } on stdout for ${argv.slice(0, 2).join(' ')}`, async () => {
        const run = await modu(argv);
        expect(run.code).to.equal(1);
        expect(run.stderr).to.equal('');
        const { error } = JSON.parse(run.stdout) as { error: Record<string, unknown> };
        expect(Object.keys(error)).to.have.members(['code', 'message', 'hint', 'details']);
        expect(error.code).to.match(/^MODU_[A-Z]+_/);
      });
    }
  });

  describe('with --json and a usage error', () => {
    it('prints the same shape with MODU_CLI_USAGE on stdout, nothing on stderr, and exits 2', async () => {
      const run = await modu(['validate', '--json', '--frob']);
      expect(run.code).to.equal(2);
      expect(run.stderr).to.equal('');
      const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } };
      expect(error.code).to.equal('MODU_CLI_USAGE');
      expect(error.message).to.include("unknown option '--frob'");
    });
  });

  describe('with --verbose', () => {
    it('prints the stack after the one-line message and the hint', async () => {
      const run = await modu(['validate', 'no-such-dir', '--verbose']);
      expect(run.code).to.equal(1);
      expect(run.stderr).to.match(/^error MODU_[A-Z_]+: .*\nhint: .*\n.*\n\s+at /);
      expect((await modu(['validate', 'no-such-dir'])).stderr).to.not.match(/\n\s+at /);
    });
  });
});

describe('createKernel().start()', () => {
  describe('when a plugin fails', () => {
    it('logs its phase, code, message and cause at error, and the stack at debug', async () => {
      const root = await pluginsFolder();
      const code = `import { definePlugin } from 'modu';
export default definePlugin({ onStart() { throw new Error('no database', { cause: new Error('ECONNREFUSED') }); } });`;
      await writePlugin(root, 'db', { 'plugin.yaml': pluginManifest('db'), 'index.js': code });
      const logs: LogEntry[] = [];
      const kernel = createKernel({ pluginDirs: [root], logger: captureLogger(logs) });
      await kernel.start();
      await kernel.stop();
      const failed = logs.find((entry) => entry.msg === 'plugin failed');
      expect(failed?.level).to.equal('error');
      expect(failed?.obj).to.deep.include({ plugin: 'db', phase: 'start', code: 'MODU_LIFECYCLE_HOOK_FAILED' });
      expect(JSON.stringify(failed?.obj)).to.include('no database').and.include('ECONNREFUSED');
      const stack = logs.find((entry) => entry.msg === 'plugin failure stack');
      expect(stack?.level).to.equal('debug');
      expect(JSON.stringify(stack?.obj ?? {})).to.match(/\\n\s+at /);
    });
  });
});
