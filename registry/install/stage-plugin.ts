import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifest, ModuError, parseYaml, readManifest } from '../../kernel/index.js';
import type { ArchiveLimits } from '../archive/archive-limits.js';
import { checkPackageJson } from '../archive/check-package-json.js';
import { extractToTemp } from '../archive/extract-archive.js';
import { checkIntegrity } from '../archive/integrity.js';
import { type CheckedArchive, readArchive } from '../archive/read-archive.js';
import { verifyFiles } from '../archive/sign-files.js';
import type { RegistryClient } from '../client/registry-client.js';
import type { TrustedKey } from '../store/registry-config.js';
import type { VersionRecord } from '../store/version-record.js';

/** The host's trust policy for installs. */
export interface InstallPolicy {
  /** Refuse plugins without a valid signature from one of `trustedKeys`. */
  readonly requireSignatures?: boolean;
  readonly trustedKeys?: readonly TrustedKey[];
  readonly limits?: ArchiveLimits;
}

/** A plugin fully verified and extracted into a temp folder inside the plugins folder. */
export interface StagedPlugin {
  readonly record: VersionRecord;
  readonly target: string;
  readonly temp: string;
}

/** Where a plugin lives inside a plugins folder (`@scope/name` nests one level). */
export function pluginFolder(pluginsDir: string, name: string): string {
  return join(pluginsDir, ...name.split('/'));
}

function checkArchiveManifest(archive: CheckedArchive, record: VersionRecord, what: string): void {
  const file = archive.files.find((f) => f.path === 'plugin.yaml');
  if (file === undefined) {
    throw new ModuError('MODU_REGISTRY_ARCHIVE_INVALID', `${what} has no plugin.yaml at its root.`, {
      details: { what },
    });
  }
  const yaml = parseYaml(file.data.toString('utf8'), `${what}/plugin.yaml`);
  const manifest = checkManifest(yaml.value, yaml);
  if (manifest.name !== record.name || manifest.version !== record.version) {
    throw new ModuError(
      'MODU_REGISTRY_ARCHIVE_WRONG_PLUGIN',
      `${what} holds ${manifest.name}@${manifest.version} instead.`,
      {
        details: { what, found: `${manifest.name}@${manifest.version}` },
      },
    );
  }
}

/**
 * Downloads one version, verifies it (integrity, whole-archive safety, manifest identity,
 * package.json, signature when required) and extracts it to a temp folder next to its target.
 * Nothing visible changes: the caller renames the temp folder into place.
 *
 * @throws ModuError `MODU_REGISTRY_INTEGRITY_MISMATCH`, `MODU_REGISTRY_ARCHIVE_WRONG_PLUGIN`, archive codes, signature codes, manifest codes
 */
export async function stagePlugin(
  registry: RegistryClient,
  record: VersionRecord,
  pluginsDir: string,
  policy: InstallPolicy,
): Promise<StagedPlugin> {
  const what = `${record.name}@${record.version}`;
  const bytes = await registry.download(record.name, record.version);
  checkIntegrity(bytes, record.integrity, what);
  const archive = await readArchive(bytes, what, policy.limits);
  checkArchiveManifest(archive, record, what);
  checkPackageJson(archive.files, what);
  if (policy.requireSignatures) {
    verifyFiles(record.name, record.version, archive.files, record.signature, policy.trustedKeys ?? []);
  }
  const target = pluginFolder(pluginsDir, record.name);
  const temp = await extractToTemp(archive, target);
  try {
    await readManifest(temp);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  return { record, target, temp };
}
