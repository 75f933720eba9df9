// A child process for the concurrency and crash tests: publishes tiny versions of one plugin into
// a folder registry and prints `ok <version>` after each publish has completed.
// argv: <registry> <worker> <count> [tagEvery]

import { writeTgz } from '../../registry/archive/write-tar.js';
import { LocalRegistry } from '../../registry/local/local-registry.js';
import { FolderStorage } from '../../registry/store/folder-storage.js';
import '../../registry/errors.js';

const [root = '', workerText = '1', countText = '1'] = process.argv.slice(2);
const worker = Number(workerText);
const count = Number(countText);
const registry = new LocalRegistry(new FolderStorage(root));

function archive(version: string): Buffer {
  const manifest = `name: load\nversion: ${version}\nmain: index.js\nkernel: ^1.0.0\n`;
  return writeTgz([
    { path: 'index.js', data: Buffer.from(`export default ${JSON.stringify(version)};\n`) },
    { path: 'plugin.yaml', data: Buffer.from(manifest) },
  ]);
}

for (let i = 0; i < count; i++) {
  const version = `${worker}.${i}.0`;
  await registry.publish(archive(version));
  process.stdout.write(`ok ${version}\n`);
}
// State changes from every worker race on state.yaml: each must survive (no lost update).
await registry.addDistTag('load', `worker-${worker}`, `${worker}.${count - 1}.0`);
await registry.deprecate('load', `${worker}.0.0`, `old from worker ${worker}`);
process.stdout.write('done\n');
