import { expect } from 'chai';
import type { CliIO } from '../../../cli/cli-io.js';
import { runCli } from '../../../cli/main.js';
import {
  deployChannel,
  FolderStorage,
  LocalRegistry,
  PostgresStorage,
  readHostReports,
  readRolloutState,
  rollbackChannel,
  writeTgz,
} from '../../../registry/index.js';
import { type TestDatabase, testDatabase } from '../pg-test-database.js';
import { type Scratch, scratch } from '../plugin-folder.js';
import { type FollowingHost, startFollowingHost } from './following-host.js';

function plugin(name: string, version: string, code: string): Buffer {
  return writeTgz([
    {
      path: 'index.js',
      data: Buffer.from(`import { definePlugin } from 'modu';\nexport default definePlugin(${code});\n`),
    },
    { path: 'plugin.yaml', data: Buffer.from(`name: ${name}\nversion: ${version}\nmain: index.js\nkernel: ^1.0.0\n`) },
  ]);
}

const hello = (version: string, extra = '') =>
  plugin(
    'hello',
    version,
    `{ routes: [{ method: 'GET', path: '/', handler: () => ({ version: '${version}' }) }]${extra} }`,
  );

/** Polls `check` until it holds or the budget runs out (a generous budget: the machine is shared). */
async function eventually(what: string, check: () => Promise<boolean>, budgetMs = 90_000): Promise<void> {
  const end = Date.now() + budgetMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`not within ${budgetMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function helloVersion(host: FollowingHost): Promise<string | undefined> {
  const response = await fetch(`${host.url}/hello/`);
  return response.ok ? ((await response.json()) as { version: string }).version : undefined;
}

/** Requests /steady/ping on every host in turn until stopped (at most 20,000); counts each failure. */
function steadyLoad(hosts: readonly FollowingHost[]) {
  let stop = false;
  const failures: string[] = [];
  let sent = 0;
  const done = (async () => {
    while (!stop && sent < 20_000) {
      const host = hosts[sent++ % hosts.length] as FollowingHost;
      const response = await fetch(`${host.url}/steady/ping`).catch((e: Error) => e);
      if (response instanceof Error || response.status !== 200)
        failures.push(`${host.id}: ${response instanceof Error ? response.message : response.status}`);
      else await response.arrayBuffer();
    }
  })();
  return {
    failures,
    sent: () => sent,
    stop: async () => {
      stop = true;
      await done;
    },
  };
}

async function modu(cwd: string, argv: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    cwd,
    env: {},
  };
  expect(await runCli(argv, io), stderr).to.equal(0);
  return stdout;
}

describe('three hosts following one channel on PostgreSQL', function () {
  this.timeout(300_000);
  let database: TestDatabase | undefined;
  let dir: Scratch;
  const hosts: FollowingHost[] = [];
  beforeEach(async function () {
    database = await testDatabase(this);
    dir = await scratch('modu-fleet-');
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.stop()));
    await database?.drop();
    await dir.cleanup();
  });

  it('rolls a deploy out to all three under load, halts a failing revision at the first host, and rolls back', async () => {
    const url = database?.url ?? '';
    const registry = new LocalRegistry(new PostgresStorage(url));
    await registry.publish(
      plugin('steady', '1.0.0', `{ routes: [{ method: 'GET', path: '/ping', handler: () => ({ pong: true }) }] }`),
    );
    await registry.publish(hello('1.0.0'));
    await registry.publish(hello('1.1.0'));
    await registry.publish(hello('1.2.0', `, onStart() { throw new Error('hello 1.2.0 refuses to start'); }`));
    await deployChannel(registry, 'prod', [{ name: 'steady' }, { name: 'hello', spec: '1.0.0' }]);
    hosts.push(
      ...(await Promise.all(['host-a', 'host-b', 'host-c'].map((id) => startFollowingHost(dir.root, id, url, 'prod')))),
    );
    for (const host of hosts) expect(await helloVersion(host), host.output()).to.equal('1.0.0');

    const load = steadyLoad(hosts);
    await deployChannel(registry, 'prod', [{ name: 'hello', spec: '1.1.0' }]);
    await eventually('every host serves hello 1.1.0', async () =>
      (await Promise.all(hosts.map(helloVersion))).every((v) => v === '1.1.0'),
    );
    await load.stop();
    expect(load.failures, `${load.failures.length} of ${load.sent()} failed`).to.deep.equal([]);
    expect(load.sent()).to.be.greaterThan(0);
    const pids = hosts.map((h) => h.child.pid);

    const failing = await deployChannel(registry, 'prod', [{ name: 'hello', spec: '1.2.0' }]);
    await eventually(
      'the rollout of the failing revision halts',
      async () => (await readRolloutState(registry.storage, 'prod')).halted?.revision === failing.revision,
    );
    const halted = (await readRolloutState(registry.storage, 'prod')).halted;
    expect(halted?.error).to.contain('hello 1.2.0 refuses to start');
    await eventually('the failed host reports the cause', async () =>
      (await readHostReports(registry.storage, 'prod')).some(
        (h) => h.health === 'failed' && h.error?.includes('refuses to start') === true,
      ),
    );
    const reports = await readHostReports(registry.storage, 'prod');
    expect(reports.filter((h) => h.health === 'failed').map((h) => h.host)).to.deep.equal([halted?.host]);
    expect(reports.map((h) => h.revision)).to.deep.equal([2, 2, 2]);
    const status = await modu(dir.root, ['channel', 'status', 'prod', '--registry', url]);
    expect(status)
      .to.contain(`rollout of revision ${failing.revision} halted at ${halted?.host}`)
      .and.contain('refuses to start');
    await eventually('the failed host serves hello 1.1.0 again', async () =>
      (await Promise.all(hosts.map(helloVersion))).every((v) => v === '1.1.0'),
    );

    const back = await rollbackChannel(registry, 'prod', 2);
    await eventually('every host reports the rollback revision, healthy', async () => {
      const after = await readHostReports(registry.storage, 'prod');
      return after.length === 3 && after.every((h) => h.revision === back.revision && h.health === 'healthy');
    });
    expect(await Promise.all(hosts.map(helloVersion))).to.deep.equal(['1.1.0', '1.1.0', '1.1.0']);
    const json = JSON.parse(await modu(dir.root, ['channel', 'status', 'prod', '--registry', url, '--json'])) as {
      hosts: { host: string; revision: number }[];
    };
    expect(json.hosts.map((h) => [h.host, h.revision])).to.deep.equal(hosts.map((h) => [h.id, back.revision]));
    expect(hosts.map((h) => h.child.pid)).to.deep.equal(pids);
    expect(hosts.map((h) => h.child.exitCode)).to.deep.equal([null, null, null]);
  });

  it('follows a channel in a folder registry by polling', async () => {
    const root = dir.path('reg');
    const registry = new LocalRegistry(new FolderStorage(root));
    await registry.publish(hello('1.0.0'));
    await registry.publish(hello('1.1.0'));
    await deployChannel(registry, 'edge', [{ name: 'hello', spec: '1.0.0' }]);
    hosts.push(await startFollowingHost(dir.root, 'folder-host', root, 'edge'));
    const host = hosts[0] as FollowingHost;
    expect(await helloVersion(host), host.output()).to.equal('1.0.0');
    await deployChannel(registry, 'edge', [{ name: 'hello', spec: '1.1.0' }]);
    await eventually('the host serves hello 1.1.0', async () => (await helloVersion(host)) === '1.1.0');
    await eventually('the host reports revision 2', async () =>
      (await readHostReports(registry.storage, 'edge')).some((h) => h.revision === 2 && h.health === 'healthy'),
    );
  });
});
