import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { stringify } from 'yaml';
import {
  closeSharedPools,
  FolderStorage,
  LocalRegistry,
  PostgresStorage,
  type RegistryStorage,
} from '../registry/index.js';
import { latency, publishThroughput, record } from './registry.js';

const VERSIONS = 10_000;

/** 10,000 version records of one plugin, written through the storage 32 at a time. */
async function generate(storage: RegistryStorage): Promise<void> {
  const jobs: Promise<boolean>[] = [];
  for (let v = 0; v < VERSIONS; v++) {
    const version = `${Math.floor(v / 100)}.${v % 100}.0`;
    jobs.push(
      storage.createExclusive(`plugins/deep/versions/${version}.yaml`, Buffer.from(stringify(record('deep', version)))),
    );
    if (jobs.length >= 32) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
}

async function withDatabase<T>(address: string, fn: (url: string) => Promise<T>): Promise<T> {
  const name = `modu_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: address });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(address);
  url.pathname = `/${name}`;
  try {
    return await fn(url.toString());
  } finally {
    await closeSharedPools();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

interface Figures {
  warm: { p50: number; p99: number };
  cold: { p50: number; p99: number };
  serial: number;
  four: number;
}

async function measure(open: () => RegistryStorage): Promise<Figures> {
  await generate(open());
  const registry = new LocalRegistry(open());
  const warm = await latency(() => registry.resolve('deep', '^42.0.0'));
  const cold = await latency(() => new LocalRegistry(open()).resolve('deep', '^42.0.0'));
  const serial = await publishThroughput(new LocalRegistry(open()), 100, 1, 1);
  const four = await publishThroughput(new LocalRegistry(open()), 100, 4, 2);
  return { warm, cold, serial, four };
}

/** Resolve latency at 10,000 versions and publish throughput, PostgreSQL beside the folder, in one run. */
export async function run(): Promise<void> {
  const address = process.env.MODU_BENCH_PG ?? process.env.MODU_TEST_PG;
  if (address === undefined) {
    console.log(
      'registry-backends: set MODU_BENCH_PG (or run `npm run bench:pg`) to compare PostgreSQL with the folder',
    );
    return;
  }
  const root = await mkdtemp(join(tmpdir(), 'modu-bench-backends-'));
  try {
    const folder = await measure(() => new FolderStorage(join(root, 'reg')));
    const postgres = await withDatabase(address, (url) => measure(() => new PostgresStorage(url)));
    const ms = (n: number) => `${n.toFixed(2)} ms`;
    const row = (label: string, f: string, p: string, ratio: number) =>
      console.log(`  ${label.padEnd(40)} ${f.padStart(18)} ${p.padStart(18)}  ${ratio.toFixed(2)}x`);
    console.log('registry backends at 10,000 versions of one plugin (folder | PostgreSQL | PostgreSQL / folder)');
    const kinds = [
      ['warm', 'listing cached'],
      ['cold', 'new registry each'],
    ] as const;
    for (const [kind, label] of kinds) {
      for (const p of ['p50', 'p99'] as const) {
        const [f, pg] = [folder[kind][p], postgres[kind][p]];
        row(`resolve ^42.0.0, ${p} (${label})`, ms(f), ms(pg), pg / f);
      }
    }
    const rate = (n: number) => `${n.toFixed(1)}/s`;
    row('publish, sequential', rate(folder.serial), rate(postgres.serial), postgres.serial / folder.serial);
    row('publish, 4 concurrent writers', rate(folder.four), rate(postgres.four), postgres.four / folder.four);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
