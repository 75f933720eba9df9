import { rm } from 'node:fs/promises';
import { ModuError } from '../../kernel/index.js';
import type { RegistryClient } from '../client/registry-client.js';
import type { LockedPlugin } from '../install/lock-file.js';
import { type InstallPolicy, pluginFolder, type StagedPlugin, stagePlugin } from '../install/stage-plugin.js';
import { discardStaged, swapIntoPlace } from '../install/swap-into-place.js';

/** How one plugin set differs from another, by plugin name. */
export interface PluginChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

type PluginSet = Readonly<Record<string, LockedPlugin>>;

/** What changes when a host running `from` moves to `to`. */
export function diffPluginSets(from: PluginSet, to: PluginSet): PluginChanges {
  const names = (set: PluginSet) => Object.keys(set).sort();
  return {
    added: names(to).filter((name) => from[name] === undefined),
    changed: names(to).filter((name) => from[name] !== undefined && from[name]?.integrity !== to[name]?.integrity),
    removed: names(from).filter((name) => to[name] === undefined),
  };
}

/**
 * Makes `pluginsDir` hold `set` for the plugins named in `changes`: each added or changed one
 * downloaded, verified against the set's integrity (and signature by `policy`) and staged before any
 * folder moves, then all renamed into place; removed ones deleted last.
 *
 * @throws ModuError `MODU_REGISTRY_INTEGRITY_MISMATCH` and the codes of stagePlugin
 */
export async function installPluginSet(
  registry: RegistryClient,
  pluginsDir: string,
  set: PluginSet,
  changes: PluginChanges,
  policy: InstallPolicy,
): Promise<void> {
  const staged: StagedPlugin[] = [];
  try {
    for (const name of [...changes.added, ...changes.changed]) {
      const locked = set[name] as LockedPlugin;
      const record = await registry.version(name, locked.version);
      if (record.integrity !== locked.integrity) {
        throw new ModuError(
          'MODU_REGISTRY_INTEGRITY_MISMATCH',
          `${name}@${locked.version} in the registry differs from the channel revision.`,
          {
            details: { plugin: name, expected: locked.integrity, actual: record.integrity },
          },
        );
      }
      staged.push(await stagePlugin(registry, record, pluginsDir, policy));
    }
    await swapIntoPlace(staged);
  } catch (error) {
    await discardStaged(staged);
    throw error;
  }
  for (const name of changes.removed) await rm(pluginFolder(pluginsDir, name), { recursive: true, force: true });
}
