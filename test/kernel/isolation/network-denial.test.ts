import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type Server } from 'node:net';
import { expect } from 'chai';
import type { PluginSnapshot } from '../../../kernel/index.js';
import { runtimeFeatures } from '../../../kernel/runtime-features.js';
import { removeScratch } from '../../helpers/fixtures.js';
import { type IsolatedHost, startIsolatedHost } from './isolated-host.js';

/** The routes iso-net takes to the network, past the module gate. */
const ROUTES = [
  'module-load-net',
  'module-load-http',
  'module-load-tls',
  'module-load-https',
  'module-load-http2',
  'get-builtin-module',
  'socket-class',
  'fetch',
  'dgram',
  'dns',
  'dns-lookup',
  'dns-promises',
  'listen',
  'worker',
  'binding',
];

// iso-net is granted dynamic-code only (standing in for any technique the scanner cannot follow), never network:
// whatever route its code takes, the loopback servers this test runs must hear nothing from its process.
describe('network denial around an isolated plugin with no network grant', () => {
  let host: IsolatedHost;
  let tcp: Server;
  let udp: Socket;
  let connections = 0;
  let datagrams = 0;

  before(async () => {
    tcp = createServer((socket) => {
      connections++;
      socket.on('error', () => undefined).end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    udp = createSocket('udp4').on('message', () => void datagrams++);
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    host = await startIsolatedHost(['isolation/iso-net'], {
      isolation: 'process',
      limits: { requestTimeoutMs: 10_000 },
      plugins: { 'iso-net': { grants: ['dynamic-code'] } },
    });
    expect(host.kernel.snapshot()[0]?.state).to.equal('started');
  });
  after(async () => {
    await host?.close();
    tcp.close();
    udp.close();
    await removeScratch();
  });

  it('refuses every route, and the servers receive nothing but the test’s own control', async () => {
    const ports = `tcp=${(tcp.address() as AddressInfo).port}&udp=${(udp.address() as AddressInfo).port}`;
    const results: Record<string, unknown> = {};
    for (const route of ROUTES) {
      const response = await host.get(`/iso-net/attack/${route}?${ports}`);
      expect(response.status, route).to.equal(200);
      results[route] = await response.json();
      // What the servers heard by the end of each route's attempt, to name the route that got through.
      if (connections + datagrams > 0)
        results[route] = { ...(results[route] as object), heard: connections + datagrams };
    }
    for (const route of ROUTES) expect(results[route], JSON.stringify(results)).to.include({ ok: false });
    if (!runtimeFeatures().allowNet) {
      // Denied in the process itself: the replaced entry points, and the permission model's refusal of process.binding.
      for (const route of ROUTES) {
        const code = route === 'binding' ? 'ERR_ACCESS_DENIED' : 'MODU_PERMISSION_DENIED';
        expect(results[route], route).to.deep.equal({ ok: false, code });
      }
    }
    // The control: the servers were listening and counting all along.
    await new Promise<void>((resolve) => connect((tcp.address() as AddressInfo).port, '127.0.0.1', resolve).end());
    await new Promise<void>((resolve) =>
      udp.send('control', (udp.address() as AddressInfo).port, '127.0.0.1', () => resolve()),
    );
    const until = Date.now() + 10_000;
    while ((connections < 1 || datagrams < 1) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect({ connections, datagrams }).to.deep.equal({ connections: 1, datagrams: 1 });
  }).timeout(90_000);

  it('still reports how the network is denied on this Node, in the snapshot and in GET /_modu/plugins', async () => {
    const expected = runtimeFeatures().allowNet
      ? 'denied by the permission model'
      : 'denied in the process (no --allow-net on this Node)';
    expect(host.kernel.snapshot()[0]?.isolation?.permissions.network).to.equal(expected);
    const listed = (await (await host.get('/_modu/plugins')).json()) as
      | PluginSnapshot[]
      | { plugins: PluginSnapshot[] };
    const plugins = Array.isArray(listed) ? listed : listed.plugins;
    expect(plugins.find((p) => p.name === 'iso-net')?.isolation?.permissions.network).to.equal(expected);
  });
});
