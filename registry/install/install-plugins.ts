import { dirname, join, resolve } from 'node:path';
import { ModuError } from '../../kernel/index.js';
import type { RegistryClient } from '../client/registry-client.js';
import { checkKeptDependents, type InstallRequest, resolveClosure } from '../resolve/resolve-closure.js';
import { checkPluginName } from '../store/check-name.js';
import type { VersionRecord } from '../store/version-record.js';
import { withLock } from '../store/with-lock.js';
import { type LockFile, readLockFile, writeLockFile } from './lock-file.js';
import { type InstallPolicy, type StagedPlugin, stagePlugin } from './stage-plugin.js';
import { discardStaged, swapIntoPlace } from './swap-into-place.js';

/** Where to install and how much to trust. */
export interface InstallOptions extends InstallPolicy {
  readonly registry: RegistryClient;
  readonly pluginsDir: string;
  /** Default: `modu-lock.yaml` beside the plugins folder. */
  readonly lockFile?: string;
  /** Called before each plugin is fetched (CLI progress). */
  readonly onProgress?: (message: string) => void;
}

/** What an install changed. */
export interface InstallResult {
  readonly installed: readonly { readonly name: string; readonly version: string; readonly integrity: string }[];
  readonly lockFile: string;
}

/** The lock file path an install uses. */
export function lockFileFor(options: Pick<InstallOptions, 'pluginsDir' | 'lockFile'>): string {
  return resolve(options.lockFile ?? join(dirname(resolve(options.pluginsDir)), 'modu-lock.yaml'));
}

async function stageAll(records: readonly VersionRecord[], options: InstallOptions): Promise<StagedPlugin[]> {
  const staged: StagedPlugin[] = [];
  try {
    for (const record of records) {
      options.onProgress?.(`fetching ${record.name}@${record.version}`);
      staged.push(await stagePlugin(options.registry, record, resolve(options.pluginsDir), options));
    }
  } catch (error) {
    await discardStaged(staged);
    throw error;
  }
  return staged;
}

async function commit(
  records: readonly VersionRecord[],
  lock: LockFile,
  options: InstallOptions,
): Promise<InstallResult> {
  const staged = await stageAll(records, options);
  try {
    await swapIntoPlace(staged);
  } catch (error) {
    await discardStaged(staged);
    throw error;
  }
  const lockFile = lockFileFor(options);
  await writeLockFile(lockFile, { ...lock, registry: options.registry.location });
  const installed = records.map(({ name, version, integrity }) => ({ name, version, integrity }));
  return { installed, lockFile };
}

/**
 * Installs plugins and their dependency closure from a registry into a plugins folder: every
 * archive verified before anything moves, each renamed into place, `modu-lock.yaml` rewritten.
 * A version that fails verification leaves the installed one untouched.
 *
 * @throws ModuError resolve, integrity, archive and signature codes
 * @example await installPlugins(['users@^1.0.0'].map(parseRequest), { registry, pluginsDir: 'plugins' });
 */
export async function installPlugins(
  requests: readonly InstallRequest[],
  options: InstallOptions,
): Promise<InstallResult> {
  const lock = await readLockFile(lockFileFor(options));
  const installed = new Map(Object.entries(lock.plugins).map(([name, entry]) => [name, entry.version]));
  const chosen = await resolveClosure(options.registry, requests, installed);
  checkKeptDependents(chosen, lock.plugins);
  const specs = new Map(requests.map((r) => [r.name, r.spec ?? 'latest']));
  for (const record of chosen.values()) {
    const requested = specs.get(record.name) ?? lock.plugins[record.name]?.requested;
    lock.plugins[record.name] = {
      version: record.version,
      integrity: record.integrity,
      ...(requested === undefined ? {} : { requested }),
      ...(record.manifest.dependencies === undefined ? {} : { dependencies: { ...record.manifest.dependencies } }),
    };
  }
  return commit([...chosen.values()], lock, options);
}

/**
 * Reinstalls exactly what `modu-lock.yaml` records, checking each archive against the locked integrity.
 *
 * @throws ModuError `MODU_REGISTRY_LOCKFILE_INVALID`, `MODU_REGISTRY_INTEGRITY_MISMATCH`, archive codes
 */
export async function installFromLock(options: InstallOptions): Promise<InstallResult> {
  return withLock(resolve(options.pluginsDir), () => installFromLockUnlocked(options));
}

async function installFromLockUnlocked(options: InstallOptions): Promise<InstallResult> {
  const lock = await readLockFile(lockFileFor(options));
  const records: VersionRecord[] = [];
  for (const [name, entry] of Object.entries(lock.plugins)) {
    const record = await options.registry.version(checkPluginName(name), entry.version);
    if (record.integrity !== entry.integrity) {
      throw new ModuError(
        'MODU_REGISTRY_INTEGRITY_MISMATCH',
        `${name}@${entry.version} in the registry differs from modu-lock.yaml.`,
        {
          details: { plugin: name, expected: entry.integrity, actual: record.integrity },
        },
      );
    }
    records.push(record);
  }
  return commit(records, lock, options);
}

/** Parses `name`, `name@range` or `@scope/name@range`. @throws ModuError `MODU_REGISTRY_NAME_INVALID` */
export function parseRequest(text: string): InstallRequest {
  const at = text.lastIndexOf('@');
  if (at <= 0) return { name: checkPluginName(text) };
  return { name: checkPluginName(text.slice(0, at)), spec: text.slice(at + 1) || 'latest' };
}
