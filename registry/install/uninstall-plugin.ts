import { randomBytes } from 'node:crypto';
import { readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { checkManifest, ModuError, type PluginManifest, readYamlFile } from '../../kernel/index.js';
import { checkPluginName } from '../store/check-name.js';
import { withLock } from '../store/with-lock.js';
import { lockFileFor } from './install-plugins.js';
import { readLockFile, writeLockFile } from './lock-file.js';
import { pluginFolder } from './stage-plugin.js';

async function installedManifests(pluginsDir: string): Promise<PluginManifest[]> {
  const folders: string[] = [];
  for (const entry of await readdir(pluginsDir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    if (!entry.name.startsWith('@')) folders.push(join(pluginsDir, entry.name));
    else
      for (const inner of await readdir(join(pluginsDir, entry.name)))
        folders.push(join(pluginsDir, entry.name, inner));
  }
  const manifests = await Promise.all(
    folders.map(async (folder) => {
      try {
        const yaml = await readYamlFile(join(folder, 'plugin.yaml'));
        return checkManifest(yaml.value, yaml);
      } catch {
        return undefined;
      }
    }),
  );
  return manifests.filter((m): m is PluginManifest => m !== undefined);
}

/**
 * Removes an installed plugin and its lock entry. Refuses while another installed plugin lists it
 * under `dependencies`, unless `force`.
 *
 * @throws ModuError `MODU_REGISTRY_NAME_INVALID`, `MODU_REGISTRY_NOT_INSTALLED`, `MODU_REGISTRY_UNINSTALL_DEPENDENT`
 */
export async function uninstallPlugin(
  name: string,
  options: { readonly pluginsDir: string; readonly lockFile?: string; readonly force?: boolean },
): Promise<{ readonly removed: string; readonly version: string }> {
  checkPluginName(name);
  const pluginsDir = resolve(options.pluginsDir);
  return withLock(pluginsDir, () => uninstallUnlocked(name, pluginsDir, options));
}

async function uninstallUnlocked(
  name: string,
  pluginsDir: string,
  options: { readonly lockFile?: string; readonly force?: boolean },
): Promise<{ readonly removed: string; readonly version: string }> {
  const manifests = await installedManifests(pluginsDir);
  const own = manifests.find((m) => m.name === name);
  if (own === undefined) {
    throw new ModuError('MODU_REGISTRY_NOT_INSTALLED', `${name} is not installed in ${pluginsDir}.`, {
      details: { plugin: name },
    });
  }
  const dependents = manifests.filter((m) => m.dependencies?.[name] !== undefined).map((m) => m.name);
  if (dependents.length > 0 && options.force !== true) {
    throw new ModuError('MODU_REGISTRY_UNINSTALL_DEPENDENT', `${name} is needed by ${dependents.join(', ')}.`, {
      details: { plugin: name, dependents },
    });
  }
  const target = pluginFolder(pluginsDir, name);
  const aside = join(dirname(target), `.modu-old-${basename(target)}-${randomBytes(6).toString('hex')}`);
  await rename(target, aside);
  await rm(aside, { recursive: true, force: true });
  const lockFile = lockFileFor({
    pluginsDir,
    ...(options.lockFile === undefined ? {} : { lockFile: options.lockFile }),
  });
  const lock = await readLockFile(lockFile);
  if (lock.plugins[name] !== undefined) {
    delete lock.plugins[name];
    await writeLockFile(lockFile, lock);
  }
  return { removed: name, version: own.version };
}
