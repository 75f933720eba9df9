import { expect } from 'chai';
import type { PluginSnapshot } from '../../../kernel/index.js';
import { removeScratch } from '../../helpers/fixtures.js';
import { alive, eventually, type IsolatedHost, startIsolatedHost } from './isolated-host.js';

const fixtures = ['isolation/iso-base', 'isolation/iso-echo'];

function echoOf(host: IsolatedHost): PluginSnapshot {
  return host.kernel.snapshot().find((p) => p.name === 'iso-echo') as PluginSnapshot;
}

async function starts(host: IsolatedHost): Promise<{ starts: number; pid: number }> {
  return (await (await host.get('/iso-echo/starts')).json()) as { starts: number; pid: number };
}

describe('isolation limits', () => {
  after(() => removeScratch());

  describe('when a handler never returns (while (true) {})', () => {
    let host: IsolatedHost;
    before(async () => {
      host = await startIsolatedHost(fixtures, {
        plugins: { 'iso-echo': { isolation: 'process', limits: { requestTimeoutMs: 1500, backoffMs: 10 } } },
      });
    });
    after(() => host.close());

    it('answers 504 within requestTimeoutMs while other plugins answer, then replaces the process', async () => {
      const before = await starts(host);
      const began = performance.now();
      const spinning = host.get('/iso-echo/spin');
      let answered = false;
      void spinning.then(() => {
        answered = true;
      });
      // During the runaway, another plugin's route answers normally.
      const ping = await host.get('/iso-base/ping');
      expect(ping.status).to.equal(200);
      expect(answered, 'the ping answered while the runaway still ran').to.equal(false);
      const response = await spinning;
      const elapsed = performance.now() - began;
      expect(response.status).to.equal(504);
      expect(await response.json()).to.include({ code: 'MODU_HTTP_TIMEOUT', plugin: 'iso-echo' });
      expect(elapsed).to.be.at.least(1400);
      expect(elapsed, 'the 504 comes at the deadline, not much later').to.be.below(1500 + 5000);
      await eventually(() => !alive(before.pid), 5000, 'the runaway process is killed');
      await eventually(() => echoOf(host).isolation?.restarts === 1, 20_000, 'a new process serves');
      const after = await starts(host);
      expect(after.pid).to.not.equal(before.pid);
      expect(after.starts, 'onStart ran again in the new process').to.equal(1);
      expect(echoOf(host).isolation?.lastExit?.cause).to.match(/^requestTimeoutMs \(1500\) reached on GET/);
      expect(echoOf(host).state).to.equal('started');
    });

    it('cuts short a stream that stops sending for requestTimeoutMs between chunks, and replaces the process', async () => {
      await eventually(() => echoOf(host).isolation?.pid !== undefined, 20_000, 'a process serves');
      const before = await starts(host);
      const restarts = echoOf(host).isolation?.restarts as number;
      const response = await host.get('/iso-echo/stall');
      expect(response.status).to.equal(200);
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      expect(Buffer.from((await reader.read()).value as Uint8Array).toString()).to.equal('first');
      const began = performance.now();
      // The response is cut off (an error, not a clean end the client could take for the whole body) instead of hanging.
      const rest = await reader.read().then(
        (next) => (next.done ? 'ended' : 'more'),
        () => 'cut off',
      );
      const elapsed = performance.now() - began;
      expect(rest).to.equal('cut off');
      expect(elapsed).to.be.at.least(1400);
      expect(elapsed, 'it ends at the deadline, not much later').to.be.below(1500 + 5000);
      await eventually(() => !alive(before.pid), 5000, 'the stalled process is killed');
      await eventually(() => echoOf(host).isolation?.restarts === restarts + 1, 20_000, 'a new process serves');
      expect(echoOf(host).isolation?.lastExit?.cause).to.equal(
        'requestTimeoutMs (1500) reached waiting for the next chunk of GET /iso-echo/stall',
      );
      expect((await starts(host)).pid).to.not.equal(before.pid);
    });
  });

  describe('when a plugin allocates without bound', () => {
    let host: IsolatedHost;
    before(async () => {
      host = await startIsolatedHost(fixtures, {
        plugins: {
          'iso-echo': { isolation: 'process', limits: { memoryMb: 48, requestTimeoutMs: 60_000, backoffMs: 10 } },
        },
      });
    });
    after(() => host.close());

    it('kills it at memoryMb, says so, restarts it, and the host heap is not what grew', async () => {
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const { pid } = await starts(host);
      const response = await host.get('/iso-echo/grow');
      expect(response.status).to.equal(503);
      expect(response.headers.get('retry-after')).to.equal('1');
      expect(await response.json()).to.include({ code: 'MODU_PLUGIN_UNAVAILABLE' });
      expect(alive(pid)).to.equal(false);
      await eventually(() => echoOf(host).isolation?.restarts === 1, 20_000, 'a new process serves');
      expect(echoOf(host).isolation?.lastExit?.cause).to.equal('memoryMb (48) reached');
      expect((await host.get('/iso-base/ping')).status).to.equal(200);
      expect((await starts(host)).pid).to.not.equal(pid);
      // The child filled 48 MB and more; the host grew by far less than that.
      expect(process.memoryUsage().heapUsed - heapBefore).to.be.below(32 * 1024 * 1024);
    });
  });

  describe('when a handler ends its process (process.exit) more often than restarts allows', () => {
    let host: IsolatedHost;
    before(async () => {
      host = await startIsolatedHost(fixtures, {
        plugins: {
          'iso-echo': { isolation: 'process', limits: { restarts: 1, restartWindowMs: 60_000, backoffMs: 10 } },
        },
      });
    });
    after(() => host.close());

    it('answers 503 with Retry-After, restarts it once, then marks it failed with the cause', async () => {
      const first = await host.get('/iso-echo/exit');
      expect(first.status).to.equal(503);
      expect(first.headers.get('retry-after')).to.equal('1');
      await eventually(() => echoOf(host).isolation?.restarts === 1, 20_000, 'restarted once');
      expect(echoOf(host).isolation?.lastExit).to.include({ code: 3, cause: 'exited with code 3' });
      expect((await host.get('/iso-echo/starts')).status).to.equal(200);
      expect((await host.get('/iso-echo/exit')).status).to.equal(503);
      await eventually(() => echoOf(host).state === 'failed', 20_000, 'failed after the second crash');
      const failure = echoOf(host).failure;
      expect(failure?.error.code).to.equal('MODU_ISOLATION_CRASHED');
      expect(failure?.error.message).to.include('exited with code 3');
      // A failed plugin serves nothing, whatever its tier: its generation and its process are released.
      expect((await host.get('/iso-echo/starts')).status).to.equal(404);
      expect(echoOf(host).isolation).to.equal(undefined);
      expect((await host.get('/iso-base/ping')).status).to.equal(200);
    });
  });

  describe('when onStart never finishes', () => {
    let host: IsolatedHost;
    before(async () => {
      host = await startIsolatedHost(['isolation/iso-hang', 'isolation/iso-base'], {
        isolation: 'process',
        timeouts: { onStart: 1000 },
        plugins: { 'iso-base': { isolation: 'none' } },
      });
    });
    after(() => host.close());

    it('fails the plugin with the timeout naming plugin and phase, and kills its process', () => {
      const hang = host.kernel.snapshot().find((p) => p.name === 'iso-hang') as PluginSnapshot;
      expect(hang.state).to.equal('failed');
      expect(hang.failure?.phase).to.equal('start');
      expect(hang.failure?.error.code).to.equal('MODU_LIFECYCLE_TIMEOUT');
      expect(hang.failure?.error.details).to.include({ plugin: 'iso-hang', phase: 'onStart' });
      const pid = hang.isolation?.pid;
      expect(pid === undefined || !alive(pid)).to.equal(true);
      expect(host.kernel.snapshot().find((p) => p.name === 'iso-base')?.state).to.equal('started');
    });
  });
});
