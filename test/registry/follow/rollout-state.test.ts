import { expect } from 'chai';
import { acquireLease, releaseLease } from '../../../registry/follow/rollout-state.js';
import { FolderStorage, readRolloutState } from '../../../registry/index.js';
import { type Scratch, scratch } from '../plugin-folder.js';

describe('rollout leases', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch('modu-rollout-');
  });
  afterEach(() => dir.cleanup());

  const ask = (storage: FolderStorage, host: string, leaseMs = 60_000) =>
    acquireLease(storage, { channel: 'prod', host, revision: 2, maxUnavailable: 2, leaseMs });

  describe('acquireLease()', () => {
    it('grants at most maxUnavailable hosts at once, and again once one releases', async () => {
      const storage = new FolderStorage(dir.path('reg'));
      const answers = await Promise.all(['a', 'b', 'c', 'd'].map((host) => ask(storage, host)));
      expect(answers.filter((a) => a === 'granted')).to.have.length(2);
      expect(answers.filter((a) => a === 'busy')).to.have.length(2);
      const holder = ['a', 'b', 'c', 'd'][answers.indexOf('granted')] as string;
      await releaseLease(storage, { channel: 'prod', host: holder });
      const waiting = ['a', 'b', 'c', 'd'][answers.indexOf('busy')] as string;
      expect(await ask(storage, waiting)).to.equal('granted');
    });

    it('lets a lease of a host that died expire', async () => {
      const storage = new FolderStorage(dir.path('reg'));
      expect(await ask(storage, 'a', 1)).to.equal('granted');
      expect(await ask(storage, 'b', 1)).to.equal('granted');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await ask(storage, 'c')).to.equal('granted');
    });

    it('answers halted for a revision whose apply failed, and grants the next revision', async () => {
      const storage = new FolderStorage(dir.path('reg'));
      expect(await ask(storage, 'a')).to.equal('granted');
      await releaseLease(storage, { channel: 'prod', host: 'a', failure: { revision: 2, error: 'boom' } });
      expect(await ask(storage, 'b')).to.equal('halted');
      expect((await readRolloutState(storage, 'prod')).halted).to.include({ revision: 2, host: 'a', error: 'boom' });
      const next = await acquireLease(storage, {
        channel: 'prod',
        host: 'b',
        revision: 3,
        maxUnavailable: 1,
        leaseMs: 60_000,
      });
      expect(next).to.equal('granted');
    });
  });
});
