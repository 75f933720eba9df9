import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import pg from 'pg';
import { checkIntegrity, computeIntegrity } from '../../registry/index.js';
import { type TestDatabase, testDatabase } from './pg-test-database.js';
import { type RegistryServerProcess, startRegistryServer } from './registry-server-process.js';

const script = fileURLToPath(new URL('./http-publisher-process.js', import.meta.url));
const TOKEN = 'publish-token';

interface Attempt {
  readonly outcome: 'ok' | 'exists' | 'error';
  readonly version: string;
  readonly detail: string;
}

function publisher(urls: string[], worker: number, count: number) {
  const child: ChildProcess = fork(script, [urls.join(','), TOKEN, String(worker), String(count)], { silent: true });
  const attempts: Attempt[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      const [outcome, version = '', detail = ''] = line.split(' ');
      if (outcome === 'ok' || outcome === 'exists' || outcome === 'error') attempts.push({ outcome, version, detail });
    }
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { child, attempts, exit };
}

/** Every stored version with its record's integrity and its archive's own. */
async function storedVersions(url: string): Promise<Map<string, { record: string; archive: string | undefined }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string; record: Buffer; archive: Buffer | null }>(
      `SELECT v.version, v.record, a.archive FROM modu_versions v
       LEFT JOIN modu_archives a USING (plugin, version) WHERE v.plugin = 'load'`,
    );
    const stored = new Map<string, { record: string; archive: string | undefined }>();
    for (const row of rows) {
      const integrity = /integrity: (\S+)/.exec(row.record.toString())?.[1] ?? '';
      stored.set(row.version, {
        record: integrity,
        archive: row.archive === null ? undefined : computeIntegrity(row.archive),
      });
    }
    return stored;
  } finally {
    await client.end();
  }
}

describe('two registry servers on one PostgreSQL database', function () {
  this.timeout(180_000);
  let database: TestDatabase | undefined;
  const servers: RegistryServerProcess[] = [];
  beforeEach(async function () {
    database = await testDatabase(this);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    await database?.drop();
  });

  describe('when 4 publisher processes publish 250 versions each, spread over both servers', () => {
    it('stores every version exactly once, tells every loser MODU_REGISTRY_VERSION_EXISTS and loses nothing', async () => {
      const url = database?.url ?? '';
      servers.push(...(await Promise.all([startRegistryServer(url, TOKEN), startRegistryServer(url, TOKEN)])));
      const urls = servers.map((s) => s.url);
      const workers = [1, 2, 3, 4].map((w) => publisher(urls, w, 250));
      expect(await Promise.all(workers.map((w) => w.exit))).to.deep.equal([0, 0, 0, 0]);
      const attempts = workers.flatMap((w) => w.attempts);
      expect(attempts).to.have.length(1000);
      expect(attempts.filter((a) => a.outcome === 'error')).to.deep.equal([]);
      const won = attempts.filter((a) => a.outcome === 'ok');
      const stored = await storedVersions(url);
      // 125 versions every worker tried, 125 of each worker's own.
      expect(stored.size).to.equal(125 + 4 * 125);
      expect(won).to.have.length(stored.size);
      expect(new Set(won.map((a) => a.version)).size).to.equal(stored.size);
      for (const { version, detail } of won) {
        expect(stored.get(version), version).to.deep.equal({ record: detail, archive: detail });
      }
      const lost = attempts.filter((a) => a.outcome === 'exists');
      expect(lost).to.have.length(3 * 125);
      for (const { version } of lost) expect(version.startsWith('0.'), version).to.equal(true);
    });
  });

  describe('when a server is SIGKILLed in the middle of publishes', () => {
    it('leaves only complete versions, and the other server goes on publishing', async () => {
      const url = database?.url ?? '';
      servers.push(...(await Promise.all([startRegistryServer(url, TOKEN), startRegistryServer(url, TOKEN)])));
      const [doomed, survivor] = servers as [RegistryServerProcess, RegistryServerProcess];
      const run = publisher([doomed.url], 7, 400);
      while (run.attempts.length < 10) await new Promise((resolve) => setTimeout(resolve, 10));
      doomed.child.kill('SIGKILL');
      await run.exit;
      const stored = await storedVersions(url);
      for (const [version, { record, archive }] of stored) expect(archive, version).to.equal(record);
      for (const { version, detail } of run.attempts.filter((a) => a.outcome === 'ok')) {
        expect(stored.get(version)?.record, version).to.equal(detail);
      }
      const after = publisher([survivor.url], 8, 4);
      expect(await after.exit).to.equal(0);
      expect(after.attempts.map((a) => a.outcome)).to.not.include('error');
      const download = await fetch(`${survivor.url}/plugins/load/archives/8.1.0`);
      const integrity = (await storedVersions(url)).get('8.1.0')?.record ?? '';
      checkIntegrity(Buffer.from(await download.arrayBuffer()), integrity, '8.1.0');
    });
  });
});
