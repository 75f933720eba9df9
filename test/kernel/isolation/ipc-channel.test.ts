import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ModuError } from '../../../kernel/errors/modu-error.js';
import { IpcChannel } from '../../../kernel/isolation/ipc-channel.js';

const PEER = fileURLToPath(new URL('./ipc-peer.js', import.meta.url));

async function codeOf(work: Promise<unknown>): Promise<string | undefined> {
  try {
    await work;
  } catch (error) {
    return ModuError.is(error) ? error.code : String(error);
  }
  return undefined;
}

describe('IpcChannel, over a real child process', () => {
  let child: ChildProcess;
  let channel: IpcChannel;
  let writes = 0;

  before(async () => {
    child = fork(PEER, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await once(child, 'message');
    // The child process itself, counting the messages written to it.
    const endpoint = {
      send: (message: unknown, callback: (error: Error | null) => void) => {
        writes++;
        return child.send(message as object, callback);
      },
      on: child.on.bind(child),
      off: child.off.bind(child),
    };
    channel = new IpcChannel(endpoint, {}, () => undefined);
  });

  after(async () => {
    channel.close(new Error('test over'));
    child.disconnect();
    if (child.exitCode === null) await once(child, 'exit');
  });

  describe('when many requests are sent in one turn of the event loop', () => {
    it('writes them as one message and answers each with its own value', async () => {
      const payloads = Array.from({ length: 200 }, (_, i) => ({ i, bytes: new Uint8Array([i % 256]) }));
      const before = writes;
      const answers = await Promise.all(payloads.map((payload) => channel.request('echo', payload)));
      expect(writes - before).to.equal(1);
      expect(answers).to.deep.equal(payloads);
    });
  });

  describe('when a value cannot be cloned', () => {
    it('fails only that request, at once, with MODU_ISOLATION_NOT_CLONEABLE; the others of its turn answer', async () => {
      const failing = channel.request('echo', { callback: () => undefined });
      const passing = channel.request('echo', 'fine');
      expect(await codeOf(failing)).to.equal('MODU_ISOLATION_NOT_CLONEABLE');
      expect(await passing).to.equal('fine');
    });

    it('fails a reply that cannot be cloned with MODU_ISOLATION_NOT_CLONEABLE', async () => {
      expect(await codeOf(channel.request('uncloneable', undefined))).to.equal('MODU_ISOLATION_NOT_CLONEABLE');
    });
  });

  describe('when the other side does not answer before the deadline', () => {
    it('rejects with the deadline error, and the channel keeps answering', async () => {
      const expire = () => new ModuError('MODU_ISOLATION_TIMEOUT', 'no answer');
      expect(await codeOf(channel.request('never', undefined, { ms: 50, expire }))).to.equal('MODU_ISOLATION_TIMEOUT');
      expect(await channel.request('echo', 1, { ms: 20_000, expire })).to.equal(1);
    });
  });
});
