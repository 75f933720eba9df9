import { archiveFileName } from '../../archive/pack-plugin.js';

/** Where a registry key lives in the PostgreSQL schema. */
export type StorageKey =
  | { readonly kind: 'version'; readonly plugin: string; readonly version: string }
  | { readonly kind: 'archive'; readonly plugin: string; readonly version: string }
  | { readonly kind: 'state'; readonly plugin: string }
  | { readonly kind: 'file'; readonly key: string };

const SAFE_KEY = /^[A-Za-z0-9@._-]+(\/[A-Za-z0-9@._-]+)*$/;

/** True for keys the folder storage also accepts: `/`-separated names, no `.` or `..`. */
export function isSafeKey(key: string): boolean {
  return SAFE_KEY.test(key) && !key.split('/').some((part) => part === '..' || part === '.');
}

/** Splits `plugins/<name>/<rest...>` (a scoped name takes two segments); undefined for other keys. */
export function splitPluginKey(key: string): { plugin: string; rest: string[] } | undefined {
  const parts = key.split('/');
  if (parts[0] !== 'plugins' || parts.length < 2) return undefined;
  const scoped = parts[1]?.startsWith('@') === true;
  if (scoped && parts.length < 3) return undefined;
  const plugin = scoped ? `${parts[1]}/${parts[2]}` : (parts[1] as string);
  return { plugin, rest: parts.slice(scoped ? 3 : 2) };
}

function archiveVersion(plugin: string, file: string): string | undefined {
  const prefix = archiveFileName(plugin, '').slice(0, -'.tgz'.length);
  return file.startsWith(prefix) && file.endsWith('.tgz') ? file.slice(prefix.length, -'.tgz'.length) : undefined;
}

/**
 * Maps a key of the registry layout (registry-keys.ts) to its table: version records, archives and
 * plugin state get their own tables with real keys; anything else is a row of `modu_files`.
 */
export function parseStorageKey(key: string): StorageKey {
  const split = splitPluginKey(key);
  if (split !== undefined) {
    const [folder, file, extra] = split.rest;
    if (folder === 'versions' && file?.endsWith('.yaml') && extra === undefined) {
      return { kind: 'version', plugin: split.plugin, version: file.slice(0, -'.yaml'.length) };
    }
    const version = folder === 'archives' && file !== undefined ? archiveVersion(split.plugin, file) : undefined;
    if (version !== undefined && extra === undefined) return { kind: 'archive', plugin: split.plugin, version };
    if (folder === 'state.yaml' && file === undefined) return { kind: 'state', plugin: split.plugin };
  }
  return { kind: 'file', key };
}
