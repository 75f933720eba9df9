import { createHash, type Hash } from 'node:crypto';
import { readFile } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readText } from '../files/read-text.js';
import { IGNORE_FILE, IgnoreList } from './ignore-list.js';
import { listPluginFiles, type PluginEntry, type PluginListing } from './list-plugin-files.js';
import { outerPackageType } from './package-scope.js';
import { fileFinding } from './plugin-scan.js';
import type { ScanLimits } from './scan-limits.js';
import type { ScanFinding } from './scan-types.js';

const CODE = /\.(js|mjs|cjs)$/;
const BINARY = /\.(node|wasm)$/;

/** How the scan reads a file: JavaScript to scan, JSON data, or a binary to hash. Other files are not read. */
export type Role = 'code' | 'json' | 'binary';

export interface ToRead extends PluginEntry {
  readonly role: Role;
}

/** A plugin folder listed and checked against the limits: which files to read, and what the listing found. */
export interface Listed {
  readonly root: string;
  readonly toRead: readonly ToRead[];
  readonly findings: readonly ScanFinding[];
  /** sha256 over the scanner version, the limits and the listing; {@link contentHashOf} adds the contents. */
  readonly hash: Hash;
  readonly bytes: number;
  /** When the listing began: a file whose identity is remembered must have settled before then. */
  readonly listedAt: number;
}

export const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const readBytes = promisify(readFile);

/** The plugin's content hash: the listing, and each file to read by the sha256 of its content, in order. */
export function contentHashOf(listed: Listed, shas: readonly (string | undefined)[]): string {
  const hash = listed.hash.copy();
  listed.toRead.forEach((entry, i) => {
    hash.update(`${entry.path}\0${shas[i]}\0`);
  });
  return hash.digest('hex');
}

function roleOf(path: string): Role | undefined {
  if (CODE.test(path)) return 'code';
  if (path.endsWith('.json')) return 'json';
  return BINARY.test(path) ? 'binary' : undefined;
}

function entryFinding(entry: PluginEntry): ScanFinding | undefined {
  if (entry.kind === 'symlink')
    return fileFinding('symlink', entry.path, 'is a symbolic link; plugins must not contain links');
  if (entry.kind === 'special') return fileFinding('special-file', entry.path, 'is not a regular file');
  if (entry.path.endsWith('.node')) return fileFinding('native-addon', entry.path, 'is a native addon', 'native');
  if (entry.path.endsWith('.wasm')) {
    return fileFinding('webassembly', entry.path, 'is a WebAssembly module: loading it compiles code', 'dynamic-code');
  }
  return undefined;
}

/** The plugin's `.moduignore`, when it lists one. */
async function ignoreListOf(root: string, listing: PluginListing): Promise<IgnoreList | undefined> {
  if (!listing.entries.some((entry) => entry.path === IGNORE_FILE && entry.kind === 'file')) return undefined;
  const list = IgnoreList.parse(await readText(join(root, IGNORE_FILE)).catch(() => ''));
  return list.empty ? undefined : list;
}

/**
 * Lists a plugin folder for its scan (or takes the listing discovery made) and checks it against the limits: which
 * files to read and in what role, what the listing itself found (links, special files, addons, files over the limits),
 * and a hash over the scanner `version`, the limits and the listing. Over the plugin limit, nothing is to be read.
 */
export async function listCode(
  root: string,
  limits: ScanLimits,
  given: PluginListing | undefined,
  version: number,
): Promise<Listed> {
  const listing = given?.maxEntries === limits.maxEntries ? given : await listPluginFiles(root, limits.maxEntries);
  const ignore = await ignoreListOf(root, listing);
  const outerType = await outerPackageType(root);
  const hash = createHash('sha256').update(`modu-scan:${version}:${JSON.stringify(limits)}:${outerType}\n`);
  const findings: ScanFinding[] = [];
  if (listing.truncated)
    findings.push(fileFinding('plugin-too-large', '.', `has more than ${limits.maxEntries} entries`));
  const toRead: ToRead[] = [];
  let bytes = 0;
  for (const entry of listing.entries) {
    if (ignore?.ignoresEntry(entry.path)) continue;
    hash.update(`${entry.path}\0${entry.kind}\0${entry.size}\0`);
    const finding = entryFinding(entry);
    if (finding) findings.push(finding);
    const role = entry.kind === 'file' ? roleOf(entry.path) : undefined;
    if (role === undefined) continue;
    if (role === 'code' && entry.size > limits.maxFileBytes) {
      findings.push(
        fileFinding('file-too-large', entry.path, `is ${entry.size} bytes, over the ${limits.maxFileBytes}-byte limit`),
      );
    } else {
      bytes += entry.size;
      toRead.push({ ...entry, role });
    }
  }
  if (bytes <= limits.maxPluginBytes) return { root, toRead, findings, hash, bytes, listedAt: listing.listedAt };
  // Rejected before anything is read: the limit bounds the scan's time and memory, so nothing past it is looked at.
  const message = `holds ${bytes} bytes of JavaScript, JSON and binaries, over the ${limits.maxPluginBytes}-byte limit`;
  findings.push(fileFinding('plugin-too-large', '.', message));
  return { root, toRead: [], findings, hash, bytes: 0, listedAt: listing.listedAt };
}

/** Reads a file as the module gate will compare it: UTF-8 text for code and JSON, bytes for a binary. */
export function readEntry(listed: Listed, entry: ToRead): Promise<string | Buffer> {
  const path = join(listed.root, entry.path);
  return entry.role === 'binary' ? readBytes(path) : readText(path);
}
