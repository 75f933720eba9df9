import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import {
  closeSharedPools,
  deployChannel,
  FolderStorage,
  LocalRegistry,
  PostgresStorage,
  type RegistryStorage,
  writeTgz,
} from '../registry/index.js';

const bin = fileURLToPath(new URL('../cli/bin.js', import.meta.url));
const ROUNDS = 3;

function hello(version: string): Buffer {
  const code = `import { definePlugin } from 'modu';\nexport default definePlugin({ routes: [{ method: 'GET', path: '/', handler: () => ({ version: '${version}' }) }] });\n`;
  return writeTgz([
    { path: 'index.js', data: Buffer.from(code) },
    { path: 'plugin.yaml', data: Buffer.from(`name: hello\nversion: ${version}\nmain: index.js\nkernel: ^1.0.0\n`) },
  ]);
}

const TOKEN = 'bench-token';

/** Spawns `modu <args>` and resolves once it prints the URL it listens on. */
async function spawnModu(cwd: string, args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, MODU_LOG_LEVEL: 'warn', MODU_REGISTRY_TOKEN: TOKEN },
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const found = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (found?.[1] !== undefined) resolve(found[1]);
    });
    child.once('exit', (code) => reject(new Error(`modu exited with ${code}: ${out}`)));
  });
  return { url, child };
}

async function startHost(dir: string, id: string, registry: string): Promise<{ url: string; child: ChildProcess }> {
  await mkdir(join(dir, id), { recursive: true });
  await writeFile(join(dir, id, 'modu.yaml'), 'pluginDirs: [plugins]\nhost: 127.0.0.1\n');
  return spawnModu(join(dir, id), [
    'start',
    '--follow',
    'bench',
    '--registry',
    registry,
    '--port',
    '0',
    '--host-id',
    id,
  ]);
}

async function serves(url: string, version: string): Promise<boolean> {
  const response = await fetch(`${url}/hello/`).catch(() => undefined);
  return response?.ok === true && ((await response.json()) as { version: string }).version === version;
}

/**
 * Deploys each new version and times until the first and the last of the hosts serve it; with `http`,
 * the hosts follow a `modu registry serve` on the storage instead of the storage itself.
 */
async function rollouts(
  storage: RegistryStorage,
  address: string,
  dir: string,
  http = false,
): Promise<{ first: number; last: number }[]> {
  const server = http
    ? await spawnModu(dir, ['registry', 'serve', '--registry', address, '--port', '0', '--token', TOKEN])
    : undefined;
  try {
    return await timeRollouts(storage, server?.url ?? address, dir);
  } finally {
    server?.child.kill('SIGTERM');
  }
}

async function timeRollouts(
  storage: RegistryStorage,
  address: string,
  dir: string,
): Promise<{ first: number; last: number }[]> {
  const registry = new LocalRegistry(storage);
  for (let v = 0; v <= ROUNDS; v++) await registry.publish(hello(`1.${v}.0`));
  await deployChannel(registry, 'bench', [{ name: 'hello', spec: '1.0.0' }]);
  const hosts = await Promise.all(['a', 'b', 'c'].map((id) => startHost(dir, id, address)));
  try {
    const times: { first: number; last: number }[] = [];
    for (let v = 1; v <= ROUNDS; v++) {
      const version = `1.${v}.0`;
      const start = performance.now();
      await deployChannel(registry, 'bench', [{ name: 'hello', spec: version }]);
      const done = new Map<string, number>();
      while (done.size < hosts.length) {
        for (const host of hosts)
          if (!done.has(host.url) && (await serves(host.url, version))) done.set(host.url, performance.now() - start);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      times.push({ first: Math.min(...done.values()), last: Math.max(...done.values()) });
    }
    return times;
  } finally {
    for (const host of hosts) host.child.kill('SIGTERM');
    await Promise.all(
      hosts.map(
        (h) => new Promise((resolve) => (h.child.exitCode === null ? h.child.once('exit', resolve) : resolve(null))),
      ),
    );
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

/** Time from `modu deploy` to the last of three following hosts serving the new version, PostgreSQL and folder. */
export async function run(): Promise<void> {
  const address = process.env.MODU_BENCH_PG ?? process.env.MODU_TEST_PG;
  const root = await mkdtemp(join(tmpdir(), 'modu-bench-fleet-'));
  const line = (label: string, times: { first: number; last: number }[]) => {
    const first = median(times.map((t) => t.first));
    const last = median(times.map((t) => t.last));
    console.log(
      `  ${label.padEnd(34)} first ${first.toFixed(0).padStart(5)} ms  last ${last.toFixed(0).padStart(5)} ms  (last / first ${(last / first).toFixed(2)}x)`,
    );
    return last;
  };
  try {
    console.log(`fleet: deploy to three following hosts serving it (median of ${ROUNDS} rollouts, maxUnavailable 1)`);
    const folderRoot = join(root, 'reg');
    const folder = line(
      'folder registry (1 s poll)',
      await rollouts(new FolderStorage(folderRoot), folderRoot, join(root, 'folder')),
    );
    const servedRoot = join(root, 'served');
    await mkdir(join(root, 'served-hosts'), { recursive: true });
    const served = line(
      'HTTP, a folder behind (1 s poll)',
      await rollouts(new FolderStorage(servedRoot), servedRoot, join(root, 'served-hosts'), true),
    );
    console.log(`  registry serve / folder, last host: ${(served / folder).toFixed(2)}x`);
    if (address === undefined) {
      console.log('  PostgreSQL: set MODU_BENCH_PG (or run `npm run bench:pg`)');
      return;
    }
    const name = `modu_bench_fleet_${process.pid}`;
    const admin = new pg.Client({ connectionString: address });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(address);
    url.pathname = `/${name}`;
    try {
      const postgres = line(
        'PostgreSQL (LISTEN/NOTIFY)',
        await rollouts(new PostgresStorage(url.toString()), url.toString(), join(root, 'pg')),
      );
      console.log(`  PostgreSQL / folder, last host: ${(postgres / folder).toFixed(2)}x`);
    } finally {
      await closeSharedPools();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
