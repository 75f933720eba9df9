import { type ChildProcess, fork } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { checkIntegrity, openLocalRegistry } from '../../registry/index.js';
import { type Scratch, scratch } from './plugin-folder.js';

const script = fileURLToPath(new URL('./publisher-process.js', import.meta.url));

function publisher(
  root: string,
  worker: number,
  count: number,
): { child: ChildProcess; completed: string[]; exit: Promise<number | null> } {
  const child = fork(script, [root, String(worker), String(count)], { silent: true });
  const completed: string[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('ok ')) completed.push(line.slice(3));
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== 0 && code !== null) process.stderr.write(stderr);
      resolve(code);
    }),
  );
  return { child, completed, exit };
}

async function checkEveryVersion(root: string, expected: readonly string[]): Promise<void> {
  const registry = await openLocalRegistry(root);
  const names = await registry.versionNames('load');
  expect(names).to.include.members([...expected]);
  for (const version of names) {
    const record = await registry.version('load', version);
    checkIntegrity(await registry.download('load', version), record.integrity, version);
  }
}

describe('publishing from several processes', function () {
  this.timeout(120_000);
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  describe('when 4 processes publish 250 distinct versions each into one plugin', () => {
    it('keeps all 1,000 versions, every file valid, and every state change', async () => {
      const root = dir.path('reg');
      const started = performance.now();
      const workers = [1, 2, 3, 4].map((w) => publisher(root, w, 250));
      const codes = await Promise.all(workers.map((w) => w.exit));
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write(`      1,000 publishes from 4 processes in ${seconds.toFixed(1)} s\n`);
      expect(codes).to.deep.equal([0, 0, 0, 0]);
      const completed = workers.flatMap((w) => w.completed);
      expect(completed).to.have.length(1000);
      await checkEveryVersion(root, completed);
      const registry = await openLocalRegistry(root);
      expect(await registry.versionNames('load')).to.have.length(1000);
      expect(
        (await readdir(dir.path('reg', 'plugins', 'load', 'archives'))).filter((n) => n.endsWith('.tgz')),
      ).to.have.length(1000);
      const state = await registry.state('load');
      expect(state.distTags).to.deep.equal({
        'worker-1': '1.249.0',
        'worker-2': '2.249.0',
        'worker-3': '3.249.0',
        'worker-4': '4.249.0',
      });
      expect(Object.keys(state.deprecated).sort()).to.deep.equal(['1.0.0', '2.0.0', '3.0.0', '4.0.0']);
    });
  });

  describe('when a publisher is killed with SIGKILL at random points', () => {
    it('leaves a registry that opens, validates and holds every completed publish', async () => {
      const root = dir.path('reg');
      const completed: string[] = [];
      for (let round = 1; round <= 4; round++) {
        const run = publisher(root, round, 10_000);
        while (run.completed.length < 3) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 150)));
        run.child.kill('SIGKILL');
        await run.exit;
        completed.push(...run.completed);
      }
      await checkEveryVersion(root, completed);
      const after = publisher(root, 9, 1);
      expect(await after.exit).to.equal(0);
      expect(after.completed).to.deep.equal(['9.0.0']);
    });
  });
});
