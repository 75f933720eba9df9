import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModuError } from '../errors/modu-error.js';
import { manifestSchema, type PluginManifest } from '../manifest/manifest-schema.js';
import {
  checkManifest,
  MANIFEST_FILE,
  type PluginPackage,
  packageOf,
  readManifest,
} from '../manifest/read-manifest.js';
import { listPluginFiles, type PluginEntry, type PluginListing, readEntries } from '../scanner/list-plugin-files.js';
import { ScanIndex } from '../scanner/scan-index.js';
import { DEFAULT_SCAN_LIMITS } from '../scanner/scan-limits.js';
import { SCANNER_VERSION } from '../scanner/scan-plugin.js';
import { readYamlFile } from '../validation/read-yaml-file.js';
import { KERNEL_VERSION } from '../version.js';

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

/** How discovery reads the plugin folders. */
export interface DiscoveryOptions {
  /**
   * The scan cache folder (see scanPlugin): a manifest whose file is unchanged since it was last validated is
   * taken from there instead of being read, parsed and validated again.
   */
  readonly cacheDir?: string;
  /**
   * Called with each valid package as soon as it is known to be the first of its name, which is once every folder
   * sorted before its own has been read: the kernel starts loading plugins that need no other plugin while discovery
   * reads the remaining folders. Every package it is called with is in the result's `packages`.
   */
  readonly onPackage?: (pkg: PluginPackage) => void;
  /**
   * Packages already known, by folder: their folders are taken as they are, not read again. A reload passes the
   * plugins it does not touch, so that it reads only the folders it reloads.
   */
  readonly known?: ReadonlyMap<string, PluginPackage>;
}

function notAPlugin(folder: string): DiscoveryProblem {
  const error = new ModuError('MODU_DISCOVERY_NOT_A_PLUGIN', `${folder} has no ${MANIFEST_FILE}.`, {
    details: { folder },
  });
  return { folder, error };
}

let manifestVersion: string | undefined;

/** Names a validated manifest in the cache: its text's sha256, under this kernel's manifest schema. */
function manifestKey(sha: string): string {
  manifestVersion ??= createHash('sha256')
    .update(`${KERNEL_VERSION}\n${JSON.stringify(manifestSchema)}`)
    .digest('hex')
    .slice(0, 16);
  return `manifest:${manifestVersion}:${sha}`;
}

/** The validated manifest of a listed plugin folder: from the cache while the file is unchanged, else read. */
async function listedManifest(
  folder: string,
  file: PluginEntry,
  listing: PluginListing,
  index: ScanIndex | undefined,
): Promise<PluginManifest> {
  const path = join(folder, MANIFEST_FILE);
  const sha = index?.shaOf(path, file);
  const known = sha === undefined ? undefined : index?.derived(manifestKey(sha));
  if (known !== undefined) return known as PluginManifest;
  const yaml = await readYamlFile(path);
  const manifest = checkManifest(yaml.value, yaml);
  if (index !== undefined) {
    const read = createHash('sha256').update(yaml.text).digest('hex');
    index.remember(path, file, read, listing.listedAt);
    const key = manifestKey(read);
    if (index.derived(key) === undefined) index.storeDerived(key, manifest);
  }
  return manifest;
}

/**
 * Lists a candidate folder once, for its manifest and for the code check that scans it later (see PluginPackage),
 * and reads its manifest; a folder without a manifest is not listed beyond its top level. A folder that cannot be
 * listed whole is left to readManifest, whose errors name the file.
 */
async function inspect(
  folder: string,
  options: DiscoveryOptions,
  indexes: Set<ScanIndex>,
): Promise<PluginPackage | DiscoveryProblem> {
  try {
    const top = await readEntries(folder).catch(() => undefined);
    if (top !== undefined && !top.some((entry) => entry.name === MANIFEST_FILE)) return notAPlugin(folder);
    const listing =
      top === undefined
        ? undefined
        : await listPluginFiles(folder, DEFAULT_SCAN_LIMITS.maxEntries, top).catch(() => undefined);
    const file = listing?.entries.find((entry) => entry.path === MANIFEST_FILE);
    if (listing === undefined || file?.kind !== 'file') return await readManifest(folder);
    const { cacheDir } = options;
    const index = cacheDir === undefined ? undefined : await ScanIndex.open(cacheDir, folder, SCANNER_VERSION);
    if (index !== undefined) indexes.add(index);
    return await packageOf(folder, await listedManifest(folder, file, listing, index), listing);
  } catch (error) {
    if (!ModuError.is(error)) throw error;
    if (error.code !== 'MODU_FILE_MISSING' || error.details.file !== join(folder, MANIFEST_FILE))
      return { folder, error };
    return notAPlugin(folder);
  }
}

/**
 * `work` on every item, at most `limit` at once; the results in the items' order. Hand-written rather than a p-queue:
 * a boot runs it once over every plugin folder, and a queue's bookkeeping per task (ids, events, timestamps) cost
 * more than the folder's own work while the code is still cold.
 */
async function mapBounded<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, at: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at] as T, at);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Hands `onPackage` each valid package in folder order, once every folder before it has been read, skipping names
 * already handed over: the same first-of-its-name rule as the duplicate check.
 */
function announcer(
  count: number,
  onPackage: DiscoveryOptions['onPackage'],
): (at: number, result: PluginPackage | DiscoveryProblem) => void {
  if (onPackage === undefined) return () => {};
  const read = new Array<PluginPackage | DiscoveryProblem | undefined>(count);
  const names = new Set<string>();
  let next = 0;
  return (at, result) => {
    read[at] = result;
    for (let done = read[next]; done !== undefined; done = read[next]) {
      read[next++] = undefined;
      if ('error' in done || names.has(done.manifest.name)) continue;
      names.add(done.manifest.name);
      onPackage(done);
    }
  };
}

/**
 * Finds the plugins in `roots` with async I/O only: each child folder (and each `@scope/name`
 * folder) holding a `plugin.yaml`. Folders that are not plugins, invalid manifests and duplicate
 * names are reported as problems, never thrown; only a missing root is fatal.
 *
 * @throws ModuError `MODU_DISCOVERY_ROOT_MISSING`
 */
export async function discoverPlugins(roots: readonly string[], options: DiscoveryOptions = {}): Promise<Discovery> {
  const folders: string[] = [];
  for (const root of roots.map((r) => resolve(r))) {
    if (!(await exists(root))) {
      throw new ModuError('MODU_DISCOVERY_ROOT_MISSING', `The plugins folder ${root} does not exist.`, {
        details: { folder: root },
      });
    }
    folders.push(...(await candidateFolders(root)));
  }
  const indexes = new Set<ScanIndex>();
  const announce = announcer(folders.length, options.onPackage);
  // Bounded, so that ten thousand plugins never exhaust file descriptors.
  const results = await mapBounded(folders, 64, async (folder, at) => {
    const result = options.known?.get(folder) ?? (await inspect(folder, options, indexes));
    announce(at, result);
    return result;
  });
  // Written before discovery resolves, once, and only with news. The cache is an optimisation: a folder that cannot
  // be written to must not fail discovery.
  await Promise.all([...indexes].map((index) => index.save().catch(() => undefined)));
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
      `Plugin ${name} is found twice: in ${first.root} and in ${result.root}; the second is ignored.`,
      { details: { plugin: name, folders: [first.root, result.root] } },
    );
    problems.push({ folder: result.root, plugin: name, error });
  }
  return { packages, problems };
}
