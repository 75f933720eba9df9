import { stringify } from 'yaml';
import { ModuError } from '../../kernel/index.js';
import { parseRegistryFile } from '../store/parse-registry-file.js';
import { normaliseState, type PluginState, pluginStateSchema } from '../store/plugin-state.js';
import type { RegistryStorage } from '../store/registry-storage.js';
import type { VersionRecord } from '../store/version-record.js';
import { registryKeys as keys } from './registry-keys.js';

function exists(record: VersionRecord): ModuError {
  return new ModuError(
    'MODU_REGISTRY_VERSION_EXISTS',
    `${record.name}@${record.version} is already published; published versions never change.`,
    { details: { plugin: record.name, version: record.version } },
  );
}

/**
 * Makes a checked version visible. The archive and the record are written and flushed outside the
 * lock; inside it, the archive is renamed into place (replacing an orphan a crashed publisher may
 * have left) and the record is linked exclusively: the record is the commit point, so a crash at
 * any instant leaves either no version or a complete one.
 *
 * @throws ModuError `MODU_REGISTRY_VERSION_EXISTS`, `MODU_REGISTRY_LOCK_TIMEOUT`
 */
export async function publishRecord(
  storage: RegistryStorage,
  record: VersionRecord,
  archive: Uint8Array,
  changeState: (state: PluginState) => boolean,
): Promise<void> {
  const { name, version } = record;
  const recordKey = keys.version(name, version);
  if ((await storage.read(recordKey)) !== undefined) throw exists(record);
  const text = `# ${name}@${version}: published ${record.publishedAt}; immutable.\n${stringify(record)}`;
  const [stagedArchive, stagedRecord] = await Promise.all([
    storage.stage(keys.archive(name, version), archive),
    storage.stage(recordKey, Buffer.from(text)),
  ]);
  try {
    await storage.withLock(keys.plugin(name), async () => {
      if ((await storage.read(recordKey)) !== undefined) throw exists(record);
      await stagedArchive.commit();
      if (!(await stagedRecord.commit({ exclusive: true }))) throw exists(record);
      const bytes = await storage.read(keys.state(name));
      const file = `${storage.location}/${keys.state(name)}`;
      const state = normaliseState(bytes === undefined ? undefined : parseRegistryFile(bytes, file, pluginStateSchema));
      if (changeState(state)) await storage.replace(keys.state(name), Buffer.from(stringify(state)));
    });
    await Promise.all([stagedArchive.sync(), stagedRecord.sync()]);
  } finally {
    await Promise.all([stagedArchive.discard(), stagedRecord.discard()]);
  }
}
