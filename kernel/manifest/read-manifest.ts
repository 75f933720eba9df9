import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ModuError } from '../errors/modu-error.js';
import { StringPrototypeStartsWith } from '../primordials.js';
import type { PluginListing } from '../scanner/list-plugin-files.js';
import { readYamlFile } from '../validation/read-yaml-file.js';
import { precompile, validate } from '../validation/validate.js';
import { manifestSchema, type PluginManifest } from './manifest-schema.js';

/** The manifest file name inside every plugin folder. */
export const MANIFEST_FILE = 'plugin.yaml';

precompile(manifestSchema);

/** A plugin folder whose manifest passed the schema. */
export interface PluginPackage {
  /** Absolute path of the plugin folder. */
  readonly root: string;
  /** Absolute path of its plugin.yaml. */
  readonly manifestFile: string;
  readonly manifest: PluginManifest;
  /** Absolute path of the entry module named by `main`. */
  readonly entry: string;
  /** The folder's files as discovery listed them, which the code check then scans. */
  readonly listing?: PluginListing;
}

/** Validates an already parsed manifest value. @throws ModuError `MODU_MANIFEST_INVALID` */
export function checkManifest(value: unknown, source: Parameters<typeof validate>[2]): PluginManifest {
  return validate<PluginManifest>(manifestSchema, value, source, 'MODU_MANIFEST_INVALID');
}

/** Resolves `main` inside the plugin root, refusing paths that leave it. */
export function resolveEntry(root: string, manifest: PluginManifest, manifestFile: string): string {
  const entry = resolve(root, manifest.main);
  const inside = relative(root, entry);
  if (isAbsolute(manifest.main) || StringPrototypeStartsWith(inside, `..${sep}`) || inside === '..' || inside === '') {
    throw new ModuError('MODU_MANIFEST_INVALID', `${manifestFile} /main must stay inside the plugin folder.`, {
      details: { file: manifestFile, pointer: '/main', value: manifest.main },
    });
  }
  return entry;
}

/**
 * Reads `<root>/plugin.yaml`, validates it and checks that `main` exists inside the folder.
 *
 * @throws ModuError `MODU_FILE_MISSING`, `MODU_YAML_INVALID`, `MODU_MANIFEST_INVALID`, `MODU_MANIFEST_MAIN_MISSING`
 */
export async function readManifest(root: string): Promise<PluginPackage> {
  const absoluteRoot = resolve(root);
  const yaml = await readYamlFile(join(absoluteRoot, MANIFEST_FILE));
  return packageOf(absoluteRoot, checkManifest(yaml.value, yaml));
}

/**
 * The package of the plugin at absolute `root` whose manifest passed the schema, once `main` proved to be a file
 * inside the folder: found in `listing` when given, else on disk.
 *
 * @throws ModuError `MODU_MANIFEST_INVALID`, `MODU_MANIFEST_MAIN_MISSING`
 */
export async function packageOf(
  root: string,
  manifest: PluginManifest,
  listing?: PluginListing,
): Promise<PluginPackage> {
  const manifestFile = join(root, MANIFEST_FILE);
  const entry = resolveEntry(root, manifest, manifestFile);
  const path = relative(root, entry).split(sep).join('/');
  const listed = listing?.entries.some((e) => e.path === path && e.kind === 'file') === true;
  if (!listed && !(await stat(entry).catch(() => undefined))?.isFile()) {
    throw new ModuError(
      'MODU_MANIFEST_MAIN_MISSING',
      `${manifestFile} /main names ${manifest.main}, which is not a file.`,
      {
        details: { file: manifestFile, pointer: '/main', value: manifest.main },
      },
    );
  }
  return listing === undefined
    ? { root, manifestFile, manifest, entry }
    : { root, manifestFile, manifest, entry, listing };
}
