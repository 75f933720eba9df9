import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { Command } from 'commander';
import type { CliIO } from '../../cli/cli-io.js';
import { commands } from '../../cli/commands/index.js';
import { createProgram } from '../../cli/main.js';
import { KERNEL_VERSION } from '../../kernel/index.js';
import { modu } from '../helpers/cli.js';

const io: CliIO = { stdout: { write: () => true }, stderr: { write: () => true }, cwd: process.cwd(), env: {} };

/** Commands that only read: each must offer --json. */
const READS = [
  'channel history',
  'channel list',
  'channel show',
  'channel status',
  'graph',
  'registry dist-tag ls',
  'registry info',
  'registry list',
  'registry search',
  'scan',
  'validate',
  'why',
];
/** Commands that change something or keep running; listed so that a new command must be classified. */
const OTHERS = [
  'channel rollback',
  'deploy',
  'dev',
  'init',
  'install',
  'new plugin',
  'pack',
  'registry deprecate',
  'registry dist-tag add',
  'registry dist-tag rm',
  'registry migrate',
  'registry publish',
  'registry serve',
  'registry unpublish',
  'start',
  'uninstall',
];

/** Every command and subcommand under `command`, with its path (`registry dist-tag ls`). */
function walk(command: Command, prefix = ''): { path: string; command: Command }[] {
  return command.commands.flatMap((sub) => {
    const path = `${prefix}${sub.name()}`;
    return [{ path, command: sub }, ...walk(sub, `${path} `)];
  });
}

const leaves = () => walk(createProgram(io)).filter(({ command }) => command.commands.length === 0);

describe('the modu commands', () => {
  describe('commands (cli/commands/index.ts)', () => {
    it('is sorted by command name', () => {
      const names = commands.map((add) => {
        const program = new Command('modu');
        add(program, io);
        expect(program.commands, 'each AddCommand adds exactly one command').to.have.length(1);
        return program.commands[0]?.name();
      });
      expect(names).to.deep.equal([...names].sort());
      expect(names).to.include.members(['graph', 'registry', 'scan', 'validate']);
    });
  });

  describe('every command and subcommand', () => {
    it('has a description', () => {
      const all = walk(createProgram(io));
      expect(all.length).to.be.greaterThan(15);
      const missing = all.filter(({ command }) => command.description().trim() === '').map(({ path }) => path);
      expect(missing).to.deep.equal([]);
    });

    it('is classified as a read or not, and every read has --json', () => {
      const paths = leaves().map(({ path }) => path);
      expect([...paths].sort()).to.deep.equal([...READS, ...OTHERS].sort());
      const withoutJson = leaves()
        .filter(({ path }) => READS.includes(path))
        .filter(({ command }) => !command.options.some((option) => option.long === '--json'))
        .map(({ path }) => path);
      expect(withoutJson).to.deep.equal([]);
    });
  });

  describe('modu --help', () => {
    it('prints exactly the committed usage (test/cli/usage.txt) and exits 0', async () => {
      const expected = await readFile(new URL('./usage.txt', import.meta.url), 'utf8');
      const run = await modu(['--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout, 'update with: node dist/cli/bin.js --help > test/cli/usage.txt').to.equal(expected);
    });
  });

  describe('exit codes', () => {
    it('exits 0 with the version on --version and -V', async () => {
      for (const flag of ['--version', '-V']) {
        const run = await modu([flag]);
        expect(run.code).to.equal(0);
        expect(run.stdout).to.equal(`${KERNEL_VERSION}\n`);
      }
    });

    it('exits 0 on help for a subcommand', async () => {
      const run = await modu(['registry', 'dist-tag', '--help']);
      expect(run.code).to.equal(0);
      expect(run.stdout).to.contain('Usage: modu registry dist-tag');
    });

    it('exits 2 on an unknown command, an unknown option or no command', async () => {
      const unknown = await modu(['frobnicate']);
      expect(unknown.code).to.equal(2);
      expect(unknown.stderr).to.contain("unknown command 'frobnicate'");
      expect((await modu(['scan', '.', '--frob'])).code).to.equal(2);
      expect((await modu([])).code).to.equal(2);
      expect((await modu(['registry'])).code).to.equal(2);
    });
  });
});
