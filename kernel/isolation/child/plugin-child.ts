// The entry of an isolated plugin's process: started by the host with fork(), under the permission model.

import type { HookName } from '../../lifecycle/run-hook.js';
import { IpcChannel } from '../ipc-channel.js';
import type {
  AbortMessage,
  CallRequest,
  InitRequest,
  LoadRequest,
  RouteRequest,
  WireRequest,
} from '../isolation-protocol.js';
import { ChildPlugin } from './child-plugin.js';
import { denyNetwork } from './deny-network.js';
import { gateBuiltinLookup } from './gate-builtin-lookup.js';
import { ipcLogger } from './ipc-logger.js';
import { OutgoingStreams } from './outgoing-streams.js';

if (process.send === undefined) {
  process.stderr.write('plugin-child: start me with child_process.fork(); exiting\n');
  process.exit(1);
}
// The host is gone (ended, crashed or killed): nothing is left to serve, and no orphan stays behind.
process.on('disconnect', () => process.exit(0));

let plugin: ChildPlugin | undefined;
const streams = new OutgoingStreams((message) => channel.send(message));
const channel: IpcChannel = new IpcChannel(
  process,
  {
    init: (request: InitRequest & { enforced: readonly string[] }) => {
      const name = request.pkg.manifest.name;
      gateBuiltinLookup(name, request.granted, request.enforced);
      // Where the permission model cannot deny the network (no --allow-net), no built-in is left to reach it.
      if (!request.granted.includes('network') && !request.enforced.includes('net')) denyNetwork(name, request.granted);
      return (plugin as ChildPlugin).init(request);
    },
    load: (request: LoadRequest) => (plugin as ChildPlugin).load(request),
    hook: (name: HookName) => (plugin as ChildPlugin).hook(name),
    call: (request: CallRequest) => (plugin as ChildPlugin).call(request),
    guard: (payload: { name: string; request: WireRequest }) => (plugin as ChildPlugin).guard(payload),
    route: (payload: RouteRequest) => (plugin as ChildPlugin).route(payload),
  },
  (message) => {
    if (message.t === 'abort') {
      (plugin as ChildPlugin).abort((message as AbortMessage).route);
      return;
    }
    const { stream } = message as { stream?: number };
    if (stream === undefined) return;
    if (message.t === 'pull') void streams.pull(stream);
    else if (message.t === 'cancel') streams.cancel(stream);
  },
);
const logger = ipcLogger((message) => channel.send(message));
plugin = new ChildPlugin((token, method, args) => channel.request('use', { token, method, args }), logger, streams);
process.send({ t: 'ready' });
