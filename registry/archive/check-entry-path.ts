import { ModuError } from '../../kernel/index.js';

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

function unsafe(path: string, reason: string): ModuError {
  return new ModuError('MODU_REGISTRY_ARCHIVE_UNSAFE', `Archive entry ${JSON.stringify(path)} ${reason}.`, {
    details: { entry: path, reason },
  });
}

/**
 * Checks one entry path and returns it without a trailing slash. Only plain relative paths with
 * portable characters pass: no absolute paths or drive letters, no `..`/`.`/empty segments, no
 * backslashes or control characters.
 *
 * @throws ModuError `MODU_REGISTRY_ARCHIVE_UNSAFE`, `MODU_REGISTRY_ARCHIVE_TOO_DEEP`
 */
export function checkEntryPath(raw: string, maxDepth: number): string {
  const path = raw.endsWith('/') ? raw.slice(0, -1) : raw;
  if (path === '') throw unsafe(raw, 'has an empty path');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) throw unsafe(raw, 'is an absolute path');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
  if (/[\\\u0000-\u001f\u007f]/.test(path)) throw unsafe(raw, 'holds a backslash or a control character');
  const segments = path.split('/');
  if (segments.some((s) => s === '..')) throw unsafe(raw, 'climbs out with ..');
  if (segments.some((s) => s === '.' || s === '')) throw unsafe(raw, 'has an empty or . segment');
  // Names Windows cannot create, or maps onto other names, would extract differently there.
  if (segments.some((s) => WINDOWS_RESERVED.test(s) || /[<>:"|?*]/.test(s) || /[. ]$/.test(s))) {
    throw unsafe(raw, 'is not a portable file name (reserved on Windows)');
  }
  if (segments.length > maxDepth) {
    throw new ModuError('MODU_REGISTRY_ARCHIVE_TOO_DEEP', `Archive entry ${raw} is deeper than ${maxDepth} folders.`, {
      details: { entry: raw, limit: 'maxDepth', value: segments.length },
    });
  }
  return path;
}

/** An error for an entry that is not a plain file or folder, or carries setuid/setgid/sticky bits. */
export function unsafeEntry(path: string, reason: string): ModuError {
  return unsafe(path, reason);
}
