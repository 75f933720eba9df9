import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { FolderStorage, LocalRegistry, type VersionRecord, writeTgz } from '../registry/index.js';

const SAMPLES = 300;

/** A version record as stored, for generated registries. */
export function record(name: string, version: string): VersionRecord {
  return {
    name,
    version,
    manifest: { name, version, main: 'index.js', kernel: '^1.0.0' },
    integrity: `sha512-${Buffer.alloc(64, 1).toString('base64')}`,
    size: 200,
    files: 2,
    scan: { status: 'skipped', reason: 'bench' },
    publishedAt: new Date(0).toISOString(),
  };
}

/** Writes version files straight through the storage layer (no fsync) so setup takes seconds. */
async function generate(root: string, plugins: number, versionsEach: number): Promise<LocalRegistry> {
  const storage = new FolderStorage(root, { durable: false });
  const jobs: Promise<boolean>[] = [];
  for (let p = 0; p < plugins; p++) {
    for (let v = 0; v < versionsEach; v++) {
      const name = `plugin-${p}`;
      const version = `${Math.floor(v / 100)}.${v % 100}.0`;
      jobs.push(
        storage.createExclusive(
          `plugins/${name}/versions/${version}.yaml`,
          Buffer.from(stringify(record(name, version))),
        ),
      );
      if (jobs.length >= 64) await Promise.all(jobs.splice(0));
    }
  }
  await Promise.all(jobs);
  return new LocalRegistry(new FolderStorage(root));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** p50 and p99 of `run` over 300 samples, after 20 warm-up runs. */
export async function latency(run: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await run(i);
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await run(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Publishes `count` tiny versions `<major>.<i>.0` of plugin `load` from `parallel` writers; resolves to publishes/s. */
export async function publishThroughput(
  registry: LocalRegistry,
  count: number,
  parallel: number,
  major = 1,
): Promise<number> {
  const archive = (i: number) =>
    writeTgz([
      { path: 'index.js', data: Buffer.from('export default {};\n') },
      {
        path: 'plugin.yaml',
        data: Buffer.from(`name: load\nversion: ${major}.${i}.0\nmain: index.js\nkernel: ^1.0.0\n`),
      },
    ]);
  const start = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let i = next++; i < count; i = next++) await registry.publish(archive(i));
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

function publishRate(root: string, count: number, parallel: number): Promise<number> {
  return publishThroughput(new LocalRegistry(new FolderStorage(root)), count, parallel);
}

const ms = (n: number) => `${n.toFixed(2)} ms`;

/** Resolve latency at 10 and 10,000 versions and at 10,000 plugins, search, and publish throughput. */
export async function run(): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'modu-bench-registry-'));
  const line = (label: string, r: { p50: number; p99: number }, base?: { p50: number }) =>
    console.log(
      `  ${label.padEnd(44)} ${ms(r.p50)} / ${ms(r.p99)}${base ? `  (${(r.p50 / base.p50).toFixed(1)}x)` : ''}`,
    );
  try {
    const small = await generate(join(root, 'small'), 1, 10);
    const deep = await generate(join(root, 'deep'), 1, 10_000);
    const wide = await generate(join(root, 'wide'), 10_000, 1);
    const base = await latency(() => small.resolve('plugin-0', '^0.1.0'));
    const range = await latency(() => deep.resolve('plugin-0', '^42.0.0'));
    const latest = await latency(() => deep.resolve('plugin-0'));
    const cold = await latency(() =>
      new LocalRegistry(new FolderStorage(join(root, 'deep'))).resolve('plugin-0', '^42.0.0'),
    );
    const plugins = await latency((i) => wide.resolve(`plugin-${(i * 7919) % 10_000}`, '^0.0.0'));
    console.log('registry: resolve latency p50 / p99 (ratio to 10 versions)');
    line('1 plugin, 10 versions, ^0.1.0', base);
    line('1 plugin, 10,000 versions, ^42.0.0', range, base);
    line('1 plugin, 10,000 versions, latest', latest, base);
    line('10,000 versions, cold (readdir + sort each)', cold, base);
    line('10,000 plugins, 1 version each', plugins, base);
    const searchStart = performance.now();
    await wide.search('plugin-4242');
    console.log(
      `  search over 10,000 plugins (reads every latest version file) ${ms(performance.now() - searchStart)}`,
    );
    const serial = await publishRate(join(root, 'publish-1'), 100, 1);
    const four = await publishRate(join(root, 'publish-4'), 100, 4);
    console.log('registry: publish throughput (durable: fsync on every file)');
    console.log(`  sequential            ${serial.toFixed(1)} publishes/s`);
    console.log(`  4 concurrent writers  ${four.toFixed(1)} publishes/s  (${(four / serial).toFixed(2)}x sequential)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
