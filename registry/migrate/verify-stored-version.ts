import { ModuError } from '../../kernel/index.js';
import type { ArchiveLimits } from '../archive/archive-limits.js';
import { checkIntegrity } from '../archive/integrity.js';
import { readArchive } from '../archive/read-archive.js';
import { verifyFiles } from '../archive/sign-files.js';
import type { LocalRegistry } from '../local/local-registry.js';
import { registryKeys as keys } from '../local/registry-keys.js';
import type { RegistryConfig } from '../store/registry-config.js';
import type { VersionRecord } from '../store/version-record.js';

/** One stored version, read back and checked. */
export interface VerifiedVersion {
  readonly record: VersionRecord;
  readonly archive: Buffer;
}

/**
 * Reads a version as stored (unpublished ones too) and checks it as publish would: the record against
 * its schema and the manifest, the archive against the record's integrity, and the signature where the
 * registry requires signatures or knows the signing key.
 *
 * @throws ModuError `MODU_REGISTRY_INTEGRITY_MISMATCH`, `MODU_REGISTRY_SIGNATURE_MISSING`,
 * `MODU_REGISTRY_SIGNATURE_INVALID`, `MODU_REGISTRY_FILE_INVALID`, `MODU_REGISTRY_VERSION_NOT_FOUND`
 */
export async function verifyStoredVersion(
  registry: LocalRegistry,
  config: RegistryConfig,
  name: string,
  version: string,
): Promise<VerifiedVersion> {
  const record = await registry.version(name, version);
  const archive = await registry.storage.read(keys.archive(name, version));
  if (archive === undefined) {
    throw new ModuError('MODU_REGISTRY_ARCHIVE_MISSING', `${name}@${version} has no archive in ${registry.location}.`, {
      details: { plugin: name, version },
    });
  }
  const what = `${name}@${version} in ${registry.location}`;
  checkIntegrity(archive, record.integrity, what);
  const trusted = config.trustedKeys ?? [];
  const known = record.signature !== undefined && trusted.some((k) => k.id === record.signature?.keyId);
  if (config.settings?.requireSignatures === true || known) {
    const { files } = await readArchive(archive, what, config.settings as ArchiveLimits);
    verifyFiles(name, version, files, record.signature, trusted);
  }
  return { record, archive };
}
