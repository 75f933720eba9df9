import { stringify } from 'yaml';
import {
  computeIntegrity,
  FolderStorage,
  readArchive,
  signFiles,
  type VersionRecord,
  writeTgz,
} from '../../../registry/index.js';

/** Archive bytes of a tiny valid plugin. */
export function tinyArchive(name: string, version: string, body = 'export default {};\n', manifestExtra = ''): Buffer {
  const manifest = `name: ${name}\nversion: ${version}\nmain: index.js\nkernel: ^1.0.0\n${manifestExtra}`;
  return writeTgz([
    { path: 'index.js', data: Buffer.from(body) },
    { path: 'plugin.yaml', data: Buffer.from(manifest) },
  ]);
}

/**
 * Writes a folder registry of `plugins` × `versionsEach` real versions straight through the storage
 * (no scan, no fsync), so 1,000 versions take seconds; every version whose index is a multiple of
 * `signEvery` is signed with `signingKey`.
 */
export async function generateFolderRegistry(
  root: string,
  plugins: number,
  versionsEach: number,
  signing?: { readonly privateKey: string; readonly signEvery: number },
): Promise<void> {
  const storage = new FolderStorage(root, { durable: false });
  const jobs: Promise<unknown>[] = [];
  for (let p = 0; p < plugins; p++) {
    const name = `gen-${p}`;
    for (let v = 0; v < versionsEach; v++) {
      const version = `1.${v}.0`;
      const archive = tinyArchive(name, version, `export default ${v};\n`);
      const signed = signing !== undefined && v % signing.signEvery === 0;
      const files = signed ? (await readArchive(archive, name)).files : [];
      const record: VersionRecord = {
        name,
        version,
        manifest: { name, version, main: 'index.js', kernel: '^1.0.0' },
        integrity: computeIntegrity(archive),
        size: archive.length,
        files: 2,
        ...(signed && signing !== undefined ? { signature: signFiles(name, version, files, signing.privateKey) } : {}),
        scan: { status: 'skipped', reason: 'generated' },
        publishedAt: new Date(0).toISOString(),
      };
      jobs.push(storage.createExclusive(`plugins/${name}/archives/${name}-${version}.tgz`, archive));
      jobs.push(storage.createExclusive(`plugins/${name}/versions/${version}.yaml`, Buffer.from(stringify(record))));
      if (jobs.length >= 64) await Promise.all(jobs.splice(0));
    }
  }
  await Promise.all(jobs);
}
