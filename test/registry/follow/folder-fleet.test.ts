import { expect } from 'chai';
import { deployChannel, FolderStorage, LocalRegistry, readHostReports } from '../../../registry/index.js';
import { type Scratch, scratch } from '../plugin-folder.js';
import { type RegistryServerProcess, startRegistryServer } from '../registry-server-process.js';
import { eventually, hello, helloVersion, modu } from './fleet-helpers.js';
import { type FollowingHost, startFollowingHost } from './following-host.js';

const TOKEN = 'fleet-token-for-tests';

describe('hosts following a channel of a folder registry', function () {
  this.timeout(300_000);
  let dir: Scratch;
  const servers: RegistryServerProcess[] = [];
  const hosts: FollowingHost[] = [];
  beforeEach(async () => {
    dir = await scratch('modu-folder-fleet-');
  });
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.stop()));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await dir.cleanup();
  });

  it('one host polls the folder, one polls `modu registry serve` on it: a deploy over HTTP reaches both', async () => {
    const root = dir.path('reg');
    const registry = new LocalRegistry(new FolderStorage(root));
    for (const archive of [hello('1.0.0'), hello('1.1.0')]) await registry.publish(archive);
    await deployChannel(registry, 'edge', [{ name: 'hello', spec: '1.0.0' }]);
    servers.push(await startRegistryServer(root, TOKEN));
    const url = (servers[0] as RegistryServerProcess).url;
    const env = { MODU_REGISTRY_TOKEN: TOKEN };
    hosts.push(
      ...(await Promise.all([
        startFollowingHost(dir.root, 'folder-host', root, 'edge'),
        startFollowingHost(dir.root, 'http-host', url, 'edge', env),
      ])),
    );
    for (const host of hosts) expect(await helloVersion(host), host.output()).to.equal('1.0.0');

    await modu(dir.root, ['deploy', 'edge', 'hello@1.1.0', '--registry', url], env);
    await eventually('both hosts serve hello 1.1.0', async () =>
      (await Promise.all(hosts.map(helloVersion))).every((v) => v === '1.1.0'),
    );
    await eventually('both hosts report revision 2, healthy', async () => {
      const reports = await readHostReports(registry.storage, 'edge');
      return reports.length === 2 && reports.every((h) => h.revision === 2 && h.health === 'healthy');
    });
    const list = JSON.parse(await modu(dir.root, ['channel', 'list', '--registry', url, '--json']));
    expect(list).to.deep.equal([{ name: 'edge', revision: 2 }]);
  });
});
