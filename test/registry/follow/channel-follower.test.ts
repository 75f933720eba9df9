import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { ChannelFollower, FolderStorage, LocalRegistry, StorageChannels } from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type Scratch, scratch } from '../plugin-folder.js';
import { signingKeyPair } from '../registry-fixture.js';
import { hello } from './fleet-helpers.js';

describe('ChannelFollower', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch('modu-follower-');
  });
  afterEach(() => dir.cleanup());

  describe('when the host requires signatures (modu start --follow --require-signatures --trusted-key)', () => {
    it('refuses a revision with an unsigned plugin and installs a signed one', async () => {
      const key = signingKeyPair();
      const registry = new LocalRegistry(new FolderStorage(dir.path('reg')));
      await registry.publish(hello('1.0.0'));
      await registry.publish(hello('1.1.0'), { signingKey: key.privateKey });
      const channels = new StorageChannels(registry);
      const pluginsDir = dir.path('host', 'plugins');
      const follower = () =>
        new ChannelFollower({
          channels,
          channel: 'prod',
          pluginsDir,
          host: 'host-a',
          requireSignatures: true,
          trustedKeys: [{ id: key.id, publicKey: key.publicKey }],
        });
      await channels.deploy('prod', [{ name: 'hello', spec: '1.0.0' }]);
      const error = await rejection(follower().installCurrent());
      expect(error.code).to.match(/^MODU_REGISTRY_SIGNATURE_/);
      expect(error.message).to.contain('hello@1.0.0');
      expect(
        await access(join(pluginsDir, 'hello')).then(
          () => true,
          () => false,
        ),
      ).to.equal(false);

      await channels.deploy('prod', [{ name: 'hello', spec: '1.1.0' }]);
      expect((await follower().installCurrent())?.revision).to.equal(2);
      await access(join(pluginsDir, 'hello', 'plugin.yaml'));
    });
  });
});
