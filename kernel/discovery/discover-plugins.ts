import type { Dirent } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import PQueue from 'p-queue';
import { ModuError } from '../errors/modu-error.js';
import { MANIFEST_FILE, type PluginPackage, readManifest } from '../manifest/read-manifest.js';

/** A folder that was looked at but holds no usable plugin, and why. */
export interface DiscoveryProblem {
  readonly folder: string;
  /** The plugin name when the manifest could be read that far. */
  readonly plugin?: string;
  readonly error: ModuError;
}

/** What discovery found: valid plugin packages, and the folders it could not use. */
export interface Discovery {
  readonly packages: readonly PluginPackage[];
  readonly problems: readonly DiscoveryProblem[];
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Candidate plugin folders: direct children, and the children of `@scope` folders. */
async function candidateFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  const folders: string[] = [];
  const scopes: Dirent[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    if (entry.name.startsWith('@')) scopes.push(entry);
    else folders.push(join(root, entry.name));
  }
  const scoped = await Promise.all(
    scopes.map(async (scope) => {
      const inner = await readdir(join(root, scope.name), { withFileTypes: true });
      return inner.filter((e) => e.isDirectory()).map((e) => join(root, scope.name, e.name));
    }),
  );
  return [...folders, ...scoped.flat()].sort();
}

async function inspect(folder: string): Promise<PluginPackage | DiscoveryProblem> {
  try {
    return await readManifest(folder);
  } catch (error) {
    if (!ModuError.is(error)) throw error;
    if (error.code !== 'MODU_FILE_MISSING' || error.details.file !== join(folder, MANIFEST_FILE))
      return { folder, error };
    const notPlugin = new ModuError('MODU_DISCOVERY_NOT_A_PLUGIN', `${folder} has no ${MANIFEST_FILE}`, {
      details: { folder },
    });
    return { folder, error: notPlugin };
  }
}

/**
 * Finds the plugins in `roots` with async I/O only: each child folder (and each `@scope/name`
 * folder) holding a `plugin.yaml`. Folders that are not plugins, invalid manifests and duplicate
 * names are reported as problems, never thrown; only a missing root is fatal.
 *
 * @throws ModuError `MODU_DISCOVERY_ROOT_MISSING`
 */
export async function discoverPlugins(roots: readonly string[]): Promise<Discovery> {
  const folders: string[] = [];
  for (const root of roots.map((r) => resolve(r))) {
    if (!(await exists(root))) {
      throw new ModuError('MODU_DISCOVERY_ROOT_MISSING', `the plugins folder ${root} does not exist`, {
        details: { folder: root },
      });
    }
    folders.push(...(await candidateFolders(root)));
  }
  // Bounded, so that ten thousand plugins never exhaust file descriptors.
  const results = await new PQueue({ concurrency: 64 }).addAll(folders.map((folder) => () => inspect(folder)));
  const packages: PluginPackage[] = [];
  const problems: DiscoveryProblem[] = [];
  const byName = new Map<string, PluginPackage>();
  for (const result of results) {
    if ('error' in result) {
      problems.push(result);
      continue;
    }
    const name = result.manifest.name;
    const first = byName.get(name);
    if (first === undefined) {
      byName.set(name, result);
      packages.push(result);
      continue;
    }
    const error = new ModuError(
      'MODU_DISCOVERY_DUPLICATE_NAME',
      `plugin ${name} is found twice: in ${first.root} and in ${result.root}; the second is ignored`,
      { details: { plugin: name, folders: [first.root, result.root] } },
    );
    problems.push({ folder: result.root, plugin: name, error });
  }
  return { packages, problems };
}
