import pg from 'pg';

const pools = new Map<string, pg.Pool>();

/**
 * One connection pool per address in this process: every registry opened on the same database shares
 * it. Idle clients close after a while and do not keep the process alive (a CLI command exits when done).
 */
export function sharedPool(address: string): pg.Pool {
  let pool = pools.get(address);
  if (pool === undefined) {
    pool = new pg.Pool({
      connectionString: address,
      max: 10,
      idleTimeoutMillis: 5000,
      connectionTimeoutMillis: 10_000,
      allowExitOnIdle: true,
    });
    // An idle client whose server went away must not crash the process; the next query reports it.
    pool.on('error', () => undefined);
    pools.set(address, pool);
  }
  return pool;
}

/** Closes every shared pool (tests and a server's shutdown). */
export async function closeSharedPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((pool) => pool.end().catch(() => undefined)));
}
