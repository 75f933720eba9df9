import semver from 'semver';
import { ModuError } from '../../kernel/index.js';

const NAME = /^(@[a-z0-9][a-z0-9-]*\/)?[a-z0-9][a-z0-9-]*$/;
const RESERVED = new Set(['node_modules', 'favicon.ico', 'modu', 'plugins', 'registry', 'con', 'prn', 'aux', 'nul']);
const TAG = /^[a-z][a-z0-9-]{0,63}$/;

/**
 * Checks a plugin name before any file system work: the manifest's pattern, at most 214 characters,
 * no reserved names. Everything the pattern allows is safe as one (or, scoped, two) folder names.
 *
 * @throws ModuError `MODU_REGISTRY_NAME_INVALID`
 * @example checkPluginName('users'); // ok
 */
export function checkPluginName(name: unknown): string {
  const text = typeof name === 'string' ? name : String(name);
  const bare = text.includes('/') ? text.slice(text.indexOf('/') + 1) : text;
  const ok = typeof name === 'string' && name.length <= 214 && NAME.test(name) && !RESERVED.has(bare);
  if (!ok) {
    throw new ModuError('MODU_REGISTRY_NAME_INVALID', `Plugin name ${JSON.stringify(text)} is not allowed.`, {
      details: { name: text },
    });
  }
  return name;
}

/** Checks an exact semver version (a file name in the registry). @throws ModuError `MODU_REGISTRY_VERSION_INVALID` */
export function checkVersion(version: unknown): string {
  if (typeof version !== 'string' || version.length > 256 || semver.valid(version) !== version) {
    throw new ModuError('MODU_REGISTRY_VERSION_INVALID', `${JSON.stringify(version)} is not a semver version.`, {
      details: { version: String(version) },
    });
  }
  return version;
}

/** Checks a dist-tag name: lowercase, and never something that reads as a range. @throws `MODU_REGISTRY_DIST_TAG_INVALID` */
export function checkDistTag(tag: unknown): string {
  if (typeof tag !== 'string' || !TAG.test(tag) || semver.validRange(tag) !== null) {
    throw new ModuError('MODU_REGISTRY_DIST_TAG_INVALID', `Dist-tag ${JSON.stringify(tag)} is not allowed.`, {
      details: { tag: String(tag) },
    });
  }
  return tag;
}
