// Reloads under load: the example app on a real Express server on loopback; four request loops call the users
// plugin's own route (GET /users/, authenticated) and one calls another plugin's route (auth's GET /auth/me), while
// POST /_modu/plugins/users/reload runs 40 times in 20 s. Prints the answers by status for each route: a reload that
// costs callers nothing leaves no non-2xx answer. Bounded: the loops stop with the reloads. The baseline, in the same
// run: the same reloads with no load, and the file-system requests one reload makes (each waits its turn behind the
// requests under load, which is where a reload's time goes there).
import { createHook } from 'node:async_hooks';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import express from 'express';
import { expressHandler } from '../adapters/express/index.js';
import { loadHostConfig } from '../kernel/config/load-host-config.js';
import { createKernel } from '../kernel/index.js';
import { fixturesDir, silentLogger } from '../test/helpers/fixtures.js';

const RELOADS = 40;
const SECONDS = 20;
const ADMIN = 'reload-bench-admin';

type Counts = Map<number, number>;

async function loop(url: string, counts: Counts, done: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000_000 && !done(); i++) {
    const response = await fetch(url, { headers: { authorization: 'Bearer alice-token' } });
    await response.arrayBuffer();
    counts.set(response.status, (counts.get(response.status) ?? 0) + 1);
  }
}

/** Reloads users `count` times, one every `gapMs`; resolves to each reload's time and how many answered non-2xx. */
async function reloads(base: string, count: number, gapMs: number): Promise<{ times: number[]; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  const began = performance.now();
  for (let i = 0; i < count; i++) {
    const at = performance.now();
    const response = await fetch(`${base}/_modu/plugins/users/reload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await response.arrayBuffer();
    if (!response.ok) failed++;
    times.push(performance.now() - at);
    await sleep(Math.max(0, began + (i + 1) * gapMs - performance.now()));
  }
  return { times: times.sort((a, b) => a - b), failed };
}

/** Counts the file-system requests (libuv fs requests, callback or promise) made while `work` runs. */
async function fsRequests(work: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'FSREQCALLBACK' || type === 'FSREQPROMISE') count++;
    },
  }).enable();
  try {
    await work();
  } finally {
    hook.disable();
  }
  return count;
}

const median = (sorted: readonly number[]) => sorted[sorted.length >> 1] ?? 0;

const show = (counts: Counts) => {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const bad = [...counts].filter(([status]) => status >= 300).reduce((a, [, n]) => a + n, 0);
  return `${bad} non-2xx of ${total} (${[...counts].map(([s, n]) => `${s}: ${n}`).join(', ')})`;
};

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'modu-reload-load-'));
  await cp(join(fixturesDir, 'example'), root, { recursive: true });
  const { config, file } = await loadHostConfig(join(root, 'modu.yaml'), {});
  const kernel = createKernel({ ...config, source: file, logger: silentLogger, endpoints: { adminToken: ADMIN } });
  await kernel.start();
  const app = express();
  app.use(expressHandler(kernel.http));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const requests = await fsRequests(() => reloads(base, 10, 0));
  const idle = await reloads(base, RELOADS, 0);
  let finished = false;
  const own: Counts = new Map();
  const other: Counts = new Map();
  const loops = [1, 2, 3, 4].map(() => loop(`${base}/users/`, own, () => finished));
  loops.push(loop(`${base}/auth/me`, other, () => finished));
  const began = performance.now();
  const { times, failed } = await reloads(base, RELOADS, (SECONDS * 1000) / RELOADS);
  finished = true;
  await Promise.all(loops);
  const seconds = (performance.now() - began) / 1000;
  console.log(`reload under load: ${RELOADS} reloads of users in ${seconds.toFixed(1)} s, ${failed} failed`);
  console.log(
    `reload under load: median reload ${median(times).toFixed(0)} ms under load, ${median(idle.times).toFixed(0)} ms idle ` +
      `(${(median(times) / Math.max(1, median(idle.times))).toFixed(1)}x), slowest ${(times.at(-1) ?? 0).toFixed(0)} ms; ` +
      `${(requests / 10).toFixed(0)} file-system requests per reload`,
  );
  console.log(`reload under load: users' own route GET /users/: ${show(own)}`);
  console.log(`reload under load: another plugin's route GET /auth/me: ${show(other)}`);
  server.closeAllConnections();
  server.close();
  await kernel.stop();
  await rm(root, { recursive: true, force: true });
}
