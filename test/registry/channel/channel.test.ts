import { writeFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { CliIO } from '../../../cli/cli-io.js';
import { runCli } from '../../../cli/main.js';
import {
  ChannelStore,
  deployChannel,
  FolderStorage,
  LocalRegistry,
  PostgresStorage,
  type RegistryStorage,
  rollbackChannel,
} from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { tinyArchive } from '../migrate/generate-folder-registry.js';
import { testDatabase } from '../pg-test-database.js';
import { type Scratch, scratch } from '../plugin-folder.js';

type Open = (
  context: Mocha.Context,
  dir: Scratch,
) => Promise<{ storage: RegistryStorage; address: string; cleanup(): Promise<void> }>;

function archive(name: string, version: string, deps: Record<string, string> = {}): Buffer {
  const extra = Object.keys(deps).length === 0 ? '' : `dependencies: ${JSON.stringify(deps)}\n`;
  return tinyArchive(name, version, `export default ${JSON.stringify(version)};\n`, extra);
}

function channelSuite(backend: string, open: Open): void {
  describe(`channels on ${backend}`, function () {
    this.timeout(60_000);
    let dir: Scratch;
    let opened: Awaited<ReturnType<Open>> | undefined;
    let registry: LocalRegistry;
    beforeEach(async function () {
      dir = await scratch('modu-channel-');
      opened = await open(this, dir);
      registry = new LocalRegistry(opened.storage);
      await registry.publish(archive('auth', '2.0.0'));
      await registry.publish(archive('auth', '2.1.0'));
      await registry.publish(archive('users', '1.0.0', { auth: '^2.0.0' }));
      await registry.publish(archive('users', '1.1.0', { auth: '^2.1.0' }));
    });
    afterEach(async () => {
      await opened?.cleanup();
      await dir.cleanup();
    });

    describe('deployChannel()', () => {
      it('resolves the closure, pins versions and integrity, and numbers revisions', async () => {
        const first = await deployChannel(registry, 'prod', [{ name: 'users', spec: '1.0.0' }]);
        expect(first.revision).to.equal(1);
        expect(Object.keys(first.plugins)).to.deep.equal(['auth', 'users']);
        expect(first.plugins.users).to.include({ version: '1.0.0', requested: '1.0.0' });
        expect(first.plugins.auth?.version).to.equal('2.1.0');
        expect(first.plugins.auth?.integrity).to.equal((await registry.version('auth', '2.1.0')).integrity);
        const second = await deployChannel(registry, 'prod', [{ name: 'users', spec: '^1.1.0' }]);
        expect(second.revision).to.equal(2);
        expect(second.requested).to.deep.equal(['users@^1.1.0']);
        expect(second.plugins.users?.version).to.equal('1.1.0');
        const store = new ChannelStore(registry.storage);
        expect(await store.channels()).to.deep.equal(['prod']);
        expect(await store.revisionNumbers('prod')).to.deep.equal([1, 2]);
      });

      it('numbers concurrent deploys without a gap or a double', async () => {
        await Promise.all(Array.from({ length: 6 }, () => deployChannel(registry, 'prod', [{ name: 'auth' }])));
        expect(await new ChannelStore(registry.storage).revisionNumbers('prod')).to.deep.equal([1, 2, 3, 4, 5, 6]);
      });

      it('refuses a channel name that is not lowercase letters, digits and dashes', async () => {
        expect((await rejection(deployChannel(registry, '../x', [{ name: 'auth' }]))).code).to.equal(
          'MODU_REGISTRY_CHANNEL_NAME_INVALID',
        );
      });
    });

    describe('rollbackChannel()', () => {
      it('writes a new revision with the plugins of the earlier one', async () => {
        await deployChannel(registry, 'prod', [{ name: 'users', spec: '1.0.0' }]);
        await deployChannel(registry, 'prod', [{ name: 'users', spec: '1.1.0' }]);
        const back = await rollbackChannel(registry, 'prod');
        expect(back).to.include({ revision: 3, reason: 'rollback', rollbackTo: 1 });
        expect(back.plugins.users?.version).to.equal('1.0.0');
        expect((await rejection(rollbackChannel(registry, 'prod', 9))).code).to.equal(
          'MODU_REGISTRY_CHANNEL_NOT_FOUND',
        );
        expect((await rejection(rollbackChannel(registry, 'none'))).code).to.equal('MODU_REGISTRY_CHANNEL_NOT_FOUND');
      });

      it('refuses with MODU_REGISTRY_CHANNEL_NO_PREVIOUS when the channel has one revision', async () => {
        await deployChannel(registry, 'solo', [{ name: 'users', spec: '1.0.0' }]);
        const error = await rejection(rollbackChannel(registry, 'solo'));
        expect(error.code).to.equal('MODU_REGISTRY_CHANNEL_NO_PREVIOUS');
        expect(error.details).to.deep.equal({ channel: 'solo', revisions: [1] });
      });
    });

    describe('modu deploy and modu channel', () => {
      it('deploy, list, show, history and rollback, as text and JSON', async () => {
        let stdout = '';
        let stderr = '';
        const io: CliIO = {
          stdout: { write: (s: string) => (stdout += s) },
          stderr: { write: (s: string) => (stderr += s) },
          cwd: dir.root,
          env: {},
        };
        const modu = async (...argv: string[]) => {
          stdout = '';
          const code = await runCli([...argv, '--registry', opened?.address ?? ''], io);
          expect(code, stderr).to.equal(0);
          return stdout;
        };
        expect(await modu('deploy', 'prod', 'users@1.0.0'))
          .to.contain('prod revision 1 (deploy')
          .and.contain('users@1.0.0');
        await modu('deploy', 'prod', 'users@^1.1.0');
        expect(JSON.parse(await modu('channel', 'list', '--json'))).to.deep.equal([{ name: 'prod', revision: 2 }]);
        expect(await modu('channel', 'show', 'prod', '--revision', '1')).to.contain('auth@2.1.0');
        expect((JSON.parse(await modu('channel', 'history', 'prod', '--json')) as unknown[]).length).to.equal(2);
        expect(await modu('channel', 'rollback', 'prod', '--to', '1')).to.contain('prod revision 3 (rollback to 1');
        expect(await modu('channel', 'history', 'prod')).to.match(/^\s+3 .*rollback to 1/);
      });
    });
  });
}

channelSuite('a folder registry', async (_context, dir) => ({
  storage: new FolderStorage(dir.path('reg')),
  address: dir.path('reg'),
  cleanup: async () => undefined,
}));

channelSuite('PostgreSQL', async (context) => {
  const database = await testDatabase(context);
  return { storage: new PostgresStorage(database.url), address: database.url, cleanup: () => database.drop() };
});

describe('deployChannel() on a damaged archive', () => {
  it('refuses with MODU_REGISTRY_INTEGRITY_MISMATCH and writes no revision', async () => {
    const dir = await scratch('modu-channel-');
    try {
      const registry = new LocalRegistry(new FolderStorage(dir.path('reg')));
      await registry.publish(archive('auth', '2.0.0'));
      await writeFile(dir.path('reg', 'plugins', 'auth', 'archives', 'auth-2.0.0.tgz'), archive('auth', '2.0.1'));
      const error = await rejection(deployChannel(registry, 'prod', [{ name: 'auth' }]));
      expect(error.code).to.equal('MODU_REGISTRY_INTEGRITY_MISMATCH');
      expect(await new ChannelStore(registry.storage).revisionNumbers('prod')).to.deep.equal([]);
    } finally {
      await dir.cleanup();
    }
  });
});
