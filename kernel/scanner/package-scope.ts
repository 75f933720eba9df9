import { dirname, join } from 'node:path';
import { readText } from '../files/read-text.js';
import type { SourceType } from './parse-source.js';

/** The `type` of a package.json: its string, or null for one without a usable `type` (or unreadable). */
export type PackageType = string | null;

/** The `type` in a package.json's text, as Node reads it: null when it has none or does not parse. */
export function packageTypeOf(text: string): PackageType {
  try {
    const { type } = JSON.parse(text) as { type?: unknown };
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}

const outer = new Map<string, Promise<PackageType | undefined>>();

async function typeAbove(dir: string): Promise<PackageType | undefined> {
  for (let at = dir; ; at = dirname(at)) {
    // Node's package scope lookup stops at a node_modules folder: a file below one has no scope.
    if (at.endsWith('/node_modules') || at.endsWith('\\node_modules')) return undefined;
    const text = await readText(join(at, 'package.json')).catch(() => undefined);
    if (text !== undefined) return packageTypeOf(text);
    if (dirname(at) === at) return undefined;
  }
}

/**
 * The package `type` in force just above a plugin folder (the nearest package.json above it; undefined for none),
 * which applies to every file of the plugin with no package.json of its own on the way up. Read once per process,
 * as Node's own package.json cache does; the module gate checks each file's goal again as Node loads it.
 */
export function outerPackageType(root: string): Promise<PackageType | undefined> {
  const dir = dirname(root);
  let type = outer.get(dir);
  if (type === undefined) {
    type = typeAbove(dir);
    outer.set(dir, type);
  }
  return type;
}

/**
 * The goal Node uses for plugin file `path` (relative, forward slashes): `.mjs` module, `.cjs` script, a `.js` file
 * by the `type` of its nearest package.json (`types` holds those inside the plugin by folder, '' for the root),
 * `outerType` when none lies inside, and `detect` when there is no type at all.
 */
export function goalOf(
  path: string,
  types: ReadonlyMap<string, PackageType>,
  outerType: PackageType | undefined,
): SourceType {
  if (path.endsWith('.mjs')) return 'module';
  if (path.endsWith('.cjs')) return 'script';
  let type: PackageType | undefined = outerType;
  let dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  for (;;) {
    if (dir === 'node_modules' || dir.endsWith('/node_modules')) {
      type = undefined;
      break;
    }
    if (types.has(dir)) {
      type = types.get(dir);
      break;
    }
    if (dir === '') break;
    dir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
  }
  if (type === 'module') return 'module';
  return type === 'commonjs' ? 'script' : 'detect';
}
