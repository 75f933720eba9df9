// A child process for the two-server proof: publishes tiny versions of plugin `load` through the HTTP
// registries named on the command line, alternating between them, and prints one line per attempt:
// `ok <version> <integrity>`, `exists <version>` or `error <version> <code>`.
// Even attempts publish a version every worker also publishes (`0.<i>.0`, contended); odd ones a version
// of this worker's own (`<worker>.<i>.0`). argv: <url,url,...> <token> <worker> <count>

import { writeTgz } from '../../registry/archive/write-tar.js';
import { HttpRegistryClient } from '../../registry/client/http-registry-client.js';
import '../../registry/errors.js';

const [urls = '', token = '', workerText = '1', countText = '1'] = process.argv.slice(2);
const worker = Number(workerText);
const clients = urls.split(',').map((url) => new HttpRegistryClient(url, token));

function archive(version: string): Buffer {
  const manifest = `name: load\nversion: ${version}\nmain: index.js\nkernel: ^1.0.0\n`;
  return writeTgz([
    { path: 'index.js', data: Buffer.from(`export default ${JSON.stringify({ version, worker })};\n`) },
    { path: 'plugin.yaml', data: Buffer.from(manifest) },
  ]);
}

async function attempt(i: number): Promise<void> {
  const version = i % 2 === 0 ? `0.${i}.0` : `${worker}.${i}.0`;
  const client = clients[(i + worker) % clients.length] as HttpRegistryClient;
  try {
    const record = await client.publish(archive(version));
    process.stdout.write(`ok ${version} ${record.integrity}\n`);
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unknown';
    process.stdout.write(
      code === 'MODU_REGISTRY_VERSION_EXISTS' ? `exists ${version}\n` : `error ${version} ${code}\n`,
    );
  }
}

// Four requests in flight per process, so the servers and the database, not the round trips, set the pace.
let next = 0;
const count = Number(countText);
await Promise.all(
  Array.from({ length: 4 }, async () => {
    for (let i = next++; i < count; i = next++) await attempt(i);
  }),
);
process.stdout.write('done\n');
