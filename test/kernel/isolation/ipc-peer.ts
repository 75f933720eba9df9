// The other end of an IpcChannel for ipc-channel.test.ts: forked by the test, answers its requests until disconnected.
import { IpcChannel } from '../../../kernel/isolation/ipc-channel.js';

process.on('disconnect', () => process.exit(0));
new IpcChannel(
  process,
  {
    echo: (payload: unknown) => payload,
    uncloneable: () => ({ run: () => undefined }),
    never: () => new Promise(() => undefined),
  },
  () => undefined,
);
process.send?.({ t: 'ready' });
