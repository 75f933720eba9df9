import { expect } from 'chai';
import { ChildPlugin } from '../../../kernel/isolation/child/child-plugin.js';
import { ipcLogger } from '../../../kernel/isolation/child/ipc-logger.js';
import { OutgoingStreams } from '../../../kernel/isolation/child/outgoing-streams.js';
import { rejection } from '../../helpers/rejection.js';

describe('ChildPlugin before its plugin is loaded', () => {
  const sent: unknown[] = [];
  const child = () =>
    new ChildPlugin(
      async () => undefined,
      ipcLogger((message) => sent.push(message)),
      new OutgoingStreams((message) => sent.push(message)),
    );

  it('refuses load, a service call and a route with MODU_ISOLATION_NOT_LOADED naming what came', async () => {
    const plugin = child();
    const load = await rejection(plugin.load({ dependencies: [] } as never));
    const call = await rejection(plugin.call({ token: 'users/Directory', method: 'list', args: [] }));
    const route = await rejection(plugin.route({ index: 0, request: {} as never, id: 0 }));
    expect([load.code, call.code, route.code]).to.deep.equal(Array(3).fill('MODU_ISOLATION_NOT_LOADED'));
    expect(call.message).to.include('a service call');
    expect(route.message).to.include('route #0');
  });
});
