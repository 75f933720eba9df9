import { ModuError } from '../../kernel/index.js';
import { listPluginNames } from '../local/list-plugin-names.js';
import type { LocalRegistry } from '../local/local-registry.js';
import { publishRecord } from '../local/publish-record.js';
import { registryKeys as keys } from '../local/registry-keys.js';
import type { PluginState } from '../store/plugin-state.js';
import type { RegistryConfig } from '../store/registry-config.js';
import { copyAuditLog } from './copy-audit-log.js';
import { verifyStoredVersion } from './verify-stored-version.js';

/** What a migration did. */
export interface MigrateResult {
  readonly from: string;
  readonly to: string;
  readonly plugins: number;
  /** Versions written to the target. */
  readonly copied: number;
  /** Versions the target already held with the same integrity (a rerun). */
  readonly present: number;
  /** Audit log lines appended to the target (none on a rerun). */
  readonly audit: number;
}

/** Options of {@link migrateRegistry}. */
export interface MigrateOptions {
  /** Versions verified and copied at once (default 8). */
  readonly concurrency?: number;
  readonly onProgress?: (done: number, plugin: string) => void;
  /** The audit log's key in both registries (default `audit.jsonl`, as `createRegistryHandler` writes). */
  readonly auditLog?: string;
}

async function copyVersion(
  source: LocalRegistry,
  config: RegistryConfig,
  target: LocalRegistry,
  name: string,
  version: string,
) {
  const { record, archive } = await verifyStoredVersion(source, config, name, version);
  try {
    await publishRecord(target.storage, record, archive, () => false);
    return 'copied';
  } catch (error) {
    if (!ModuError.is(error) || error.code !== 'MODU_REGISTRY_VERSION_EXISTS') throw error;
  }
  const there = await target.version(name, version);
  if (there.integrity === record.integrity) return 'present';
  throw new ModuError(
    'MODU_REGISTRY_MIGRATE_CONFLICT',
    `${name}@${version} is in ${target.location} with integrity ${there.integrity.slice(0, 24)}…, not ${record.integrity.slice(0, 24)}… as in ${source.location}.`,
    { details: { plugin: name, version, source: record.integrity, target: there.integrity } },
  );
}

function mergeState(into: PluginState, from: PluginState): void {
  Object.assign(into.deprecated, from.deprecated);
  Object.assign(into.unpublished, from.unpublished);
  Object.assign(into.distTags, from.distTags);
}

/**
 * Copies every version of `source` into `target` (a folder into PostgreSQL, say), verifying each
 * archive's integrity and signature on the way; then each plugin's dist-tags, deprecations and
 * unpublished versions, the trusted keys and the audit log. Idempotent: a version already in the
 * target with the same integrity is left alone, one with other bytes stops the migration; audit lines
 * already in the target are not appended again.
 *
 * @throws ModuError `MODU_REGISTRY_MIGRATE_CONFLICT` and the codes of {@link verifyStoredVersion}
 */
export async function migrateRegistry(
  source: LocalRegistry,
  target: LocalRegistry,
  options: MigrateOptions = {},
): Promise<MigrateResult> {
  const config = await source.config();
  if (
    (await target.storage.read(keys.config)) === undefined &&
    (await source.storage.read(keys.config)) !== undefined
  ) {
    await target.storage.createExclusive(keys.config, (await source.storage.read(keys.config)) as Buffer);
  }
  for (const key of config.trustedKeys ?? []) await target.addTrustedKey(key.publicKey, key.name);
  const counts = { copied: 0, present: 0 };
  const names = await listPluginNames(source.storage);
  for (const name of names) {
    const versions = await source.versionNames(name);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < versions.length; i = next++) {
        counts[await copyVersion(source, config, target, name, versions[i] as string)]++;
        options.onProgress?.(counts.copied + counts.present, name);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    if (versions.length > 0) {
      const state = await source.state(name);
      await target.updateState(name, (into) => mergeState(into, state));
    }
  }
  const audit = await copyAuditLog(source.storage, target.storage, options.auditLog ?? 'audit.jsonl');
  return { from: source.location, to: target.location, plugins: names.length, ...counts, audit };
}
