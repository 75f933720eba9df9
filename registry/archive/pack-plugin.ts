import { lstat, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type IgnoreList, ModuError, readManifest } from '../../kernel/index.js';
import { checkPackageJson } from './check-package-json.js';
import { packIgnoreList } from './ignore-list.js';
import { computeIntegrity } from './integrity.js';
import type { ArchiveFile } from './read-archive.js';
import { writeTgz } from './write-tar.js';

/** A packed plugin: its archive bytes and what identifies them. */
export interface PackedPlugin {
  readonly name: string;
  readonly version: string;
  /** `<name>-<version>.tgz`, with a scope's `@` dropped and `/` turned into `-`. */
  readonly fileName: string;
  readonly bytes: Buffer;
  readonly integrity: string;
  readonly files: readonly string[];
}

/** The archive file name of a plugin version. */
export function archiveFileName(name: string, version: string): string {
  return `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

async function collect(root: string, ignore: IgnoreList, relative = ''): Promise<ArchiveFile[]> {
  const found: ArchiveFile[] = [];
  for (const name of await readdir(join(root, relative))) {
    const path = relative === '' ? name : `${relative}/${name}`;
    const info = await lstat(join(root, path));
    if (ignore.ignores(path, info.isDirectory())) continue;
    if (info.isDirectory()) found.push(...(await collect(root, ignore, path)));
    else if (info.isFile())
      found.push({ path, executable: (info.mode & 0o111) !== 0, data: await readFile(join(root, path)) });
    else {
      throw new ModuError(
        'MODU_REGISTRY_PACK_FAILED',
        `${join(root, path)} is a link or special file; Modu packs plain files only.`,
        {
          details: { file: path },
        },
      );
    }
  }
  return found;
}

/**
 * Packs a plugin folder into a deterministic `.tgz` (sorted entries, fixed time, owner and modes):
 * the same folder gives the same bytes on any machine. `.moduignore` and the defaults are honoured.
 *
 * @throws ModuError `MODU_MANIFEST_*` from readManifest, `MODU_REGISTRY_PACK_FAILED`, `MODU_REGISTRY_PACKAGE_UNSAFE`
 * @example const { bytes, integrity } = await packPlugin('plugins/users');
 */
export async function packPlugin(dir: string): Promise<PackedPlugin> {
  const root = resolve(dir);
  const { manifest } = await readManifest(root);
  const files = (await collect(root, await packIgnoreList(root))).sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  checkPackageJson(files, root);
  const bytes = writeTgz(files.map((f) => ({ path: f.path, mode: f.executable ? 0o755 : 0o644, data: f.data })));
  return {
    name: manifest.name,
    version: manifest.version,
    fileName: archiveFileName(manifest.name, manifest.version),
    bytes,
    integrity: computeIntegrity(bytes),
    files: files.map((f) => f.path),
  };
}

/** Packs `dir` and writes the archive into `outDir`; returns the pack and the archive path. */
export async function packPluginTo(dir: string, outDir: string): Promise<PackedPlugin & { readonly file: string }> {
  const packed = await packPlugin(dir);
  const file = join(resolve(outDir), packed.fileName);
  await writeFile(file, packed.bytes);
  return { ...packed, file };
}
