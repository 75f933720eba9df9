// Reloads under load: the example app on a real Express server on loopback; four request loops call the users
// plugin's own route (GET /users/, authenticated) and one calls another plugin's route (auth's GET /auth/me), while
// POST /_modu/plugins/users/reload runs 40 times in 20 s. Prints the answers by status for each route: a reload that
// costs callers nothing leaves no non-2xx answer. Bounded: the loops stop with the reloads.
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
  let finished = false;
  const own: Counts = new Map();
  const other: Counts = new Map();
  const loops = [1, 2, 3, 4].map(() => loop(`${base}/users/`, own, () => finished));
  loops.push(loop(`${base}/auth/me`, other, () => finished));
  const times: number[] = [];
  let failed = 0;
  const began = performance.now();
  for (let i = 0; i < RELOADS; i++) {
    const at = performance.now();
    const response = await fetch(`${base}/_modu/plugins/users/reload`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await response.arrayBuffer();
    if (!response.ok) failed++;
    times.push(performance.now() - at);
    await sleep(Math.max(0, began + ((i + 1) * SECONDS * 1000) / RELOADS - performance.now()));
  }
  finished = true;
  await Promise.all(loops);
  const seconds = (performance.now() - began) / 1000;
  times.sort((a, b) => a - b);
  console.log(`reload under load: ${RELOADS} reloads of users in ${seconds.toFixed(1)} s, ${failed} failed`);
  console.log(
    `reload under load: median reload ${(times[RELOADS >> 1] ?? 0).toFixed(0)} ms, slowest ${(times.at(-1) ?? 0).toFixed(0)} ms`,
  );
  console.log(`reload under load: users' own route GET /users/: ${show(own)}`);
  console.log(`reload under load: another plugin's route GET /auth/me: ${show(other)}`);
  server.closeAllConnections();
  server.close();
  await kernel.stop();
  await rm(root, { recursive: true, force: true });
}
