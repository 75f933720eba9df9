import { expect } from 'chai';
import {
  deployChannel,
  LocalRegistry,
  PostgresStorage,
  readHostReports,
  readRolloutState,
} from '../../../registry/index.js';
import { type TestDatabase, testDatabase } from '../pg-test-database.js';
import { type Scratch, scratch } from '../plugin-folder.js';
import { type RegistryServerProcess, startRegistryServer } from '../registry-server-process.js';
import { brokenHello, eventually, hello, helloVersion, modu, plugin } from './fleet-helpers.js';
import { type FollowingHost, startFollowingHost } from './following-host.js';

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

const TOKEN = 'fleet-token-for-tests';

describe('three hosts following one channel: one on PostgreSQL, two over HTTP through two registry servers', function () {
  this.timeout(300_000);
  let database: TestDatabase | undefined;
  let dir: Scratch;
  const servers: RegistryServerProcess[] = [];
  const hosts: FollowingHost[] = [];
  beforeEach(async function () {
    dir = await scratch('modu-fleet-');
    database = await testDatabase(this);
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.stop()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await database?.drop();
    await dir.cleanup();
  });

  it('rolls a deploy out to all three under load, halts a failing revision at the first host, and rolls back', async () => {
    const url = database?.url ?? '';
    const registry = new LocalRegistry(new PostgresStorage(url));
    await registry.publish(
      plugin('steady', '1.0.0', `{ routes: [{ method: 'GET', path: '/ping', handler: () => ({ pong: true }) }] }`),
    );
    for (const archive of [hello('1.0.0'), hello('1.1.0'), brokenHello('1.2.0')]) await registry.publish(archive);
    await deployChannel(registry, 'prod', [{ name: 'steady' }, { name: 'hello', spec: '1.0.0' }]);
    servers.push(...(await Promise.all([0, 1].map(() => startRegistryServer(url, TOKEN)))));
    const [one, two] = servers.map((s) => s.url) as [string, string];
    // host-a listens on the database (NOTIFY); host-b and host-c poll a registry server each (ETag/304).
    const follows = [url, one, two];
    const env = { MODU_REGISTRY_TOKEN: TOKEN };
    const starts = ['host-a', 'host-b', 'host-c'].map((id, i) =>
      startFollowingHost(dir.root, id, follows[i] as string, 'prod', env),
    );
    hosts.push(...(await Promise.all(starts)));
    for (const host of hosts) expect(await helloVersion(host), host.output()).to.equal('1.0.0');

    const load = steadyLoad(hosts);
    await modu(dir.root, ['deploy', 'prod', 'hello@1.1.0', '--registry', one, '--token', TOKEN]);
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
    for (const address of [url, two]) {
      expect(await modu(dir.root, ['channel', 'status', 'prod', '--registry', address]))
        .to.contain(`rollout of revision ${failing.revision} halted at ${halted?.host}`)
        .and.contain('refuses to start');
    }
    await eventually('the failed host serves hello 1.1.0 again', async () =>
      (await Promise.all(hosts.map(helloVersion))).every((v) => v === '1.1.0'),
    );

    await modu(dir.root, ['channel', 'rollback', 'prod', '--to', '2', '--registry', two], env);
    await eventually('every host reports the rollback revision, healthy', async () => {
      const after = await readHostReports(registry.storage, 'prod');
      return after.length === 3 && after.every((h) => h.revision === 4 && h.health === 'healthy');
    });
    expect(await Promise.all(hosts.map(helloVersion))).to.deep.equal(['1.1.0', '1.1.0', '1.1.0']);
    const json = JSON.parse(await modu(dir.root, ['channel', 'status', 'prod', '--registry', one, '--json'])) as {
      hosts: { host: string; revision: number }[];
    };
    expect(json.hosts.map((h) => [h.host, h.revision])).to.deep.equal(hosts.map((h) => [h.id, 4]));
    const history = JSON.parse(await modu(dir.root, ['channel', 'history', 'prod', '--registry', one, '--json']));
    expect(history.map((r: { reason: string; actor?: string }) => r.actor ?? r.reason)).to.deep.equal([
      'deploy',
      'default',
      'deploy',
      'default',
    ]);
    // Writes through a server are audited there; a halt is a write of the host that failed (host-a writes directly).
    const audit = (await registry.storage.read('audit.jsonl'))?.toString() ?? '';
    const actions = ['deploy', ...(halted?.host === 'host-a' ? [] : ['halt']), 'rollback'];
    expect(audit.match(/"action":"channel-[a-z]+"/g)).to.deep.equal(actions.map((a) => `"action":"channel-${a}"`));
    expect(hosts.map((h) => h.child.pid)).to.deep.equal(pids);
    expect(hosts.map((h) => h.child.exitCode)).to.deep.equal([null, null, null]);
  });
});
