import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { closeSharedPools } from '../../registry/index.js';

/** A database of its own for one test, on the server named by MODU_TEST_PG. */
export interface TestDatabase {
  /** postgres:// address of the fresh, empty database. */
  readonly url: string;
  drop(): Promise<void>;
}

let warned = false;

/**
 * The PostgreSQL server tests run against (`MODU_TEST_PG`, set by scripts/pg-test-cluster.sh). Without
 * it a test fails under CI and is skipped elsewhere, with the command that provides one.
 */
export function testPostgresAddress(context: Mocha.Context): string {
  const address = process.env.MODU_TEST_PG;
  if (address !== undefined && address !== '') return address;
  const how = 'run the tests through `bash scripts/pg-test-cluster.sh` (npm run test:pg), which sets MODU_TEST_PG';
  if (process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false') {
    throw new Error(`MODU_TEST_PG is not set: PostgreSQL tests cannot be skipped in CI; ${how}`);
  }
  if (!warned) process.stderr.write(`      skipping PostgreSQL tests: MODU_TEST_PG is not set; ${how}\n`);
  warned = true;
  context.skip();
}

async function admin<T>(address: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: address });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a fresh database (so tests never see each other's rows) and drops it, connections and all. */
export async function testDatabase(context: Mocha.Context): Promise<TestDatabase> {
  const address = testPostgresAddress(context);
  const name = `modu_test_${randomBytes(6).toString('hex')}`;
  await admin(address, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(address);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await closeSharedPools();
      await admin(address, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
