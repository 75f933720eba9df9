import { existsSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { readText } from '../../files/read-text.js';

/** The `type` of a folder's package.json: a string, `null` for a package.json without one, undefined for none. */
async function typeIn(dir: string): Promise<string | null | undefined> {
  const file = join(dir, 'package.json');
  // Most plugin folders have none. A read that fails builds an error, stack trace and all, which costs more
  // than the read; a stat costs one system call, as in Node's own module resolution.
  if (!existsSync(file)) return undefined;
  const text = await readText(file).catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const { type } = JSON.parse(text) as { type?: unknown };
    return typeof type === 'string' ? type : null;
  } catch {
    return null;
  }
}

// Folders above plugin roots are shared by every plugin and, as in Node's own package scope cache,
// read once per process; folders inside a plugin are read afresh, so a reload sees its changes.
const aboveRoots = new Map<string, Promise<string | null | undefined>>();

function cachedTypeIn(dir: string): Promise<string | null | undefined> {
  let type = aboveRoots.get(dir);
  if (type === undefined) {
    type = typeIn(dir);
    aboveRoots.set(dir, type);
  }
  return type;
}

/**
 * The `type` of the nearest package.json above `dir`, and whether the walk passed a node_modules folder (where
 * Node's own package scope lookup stops).
 */
async function packageType(dir: string, root: string): Promise<{ type?: string; pastNodeModules: boolean }> {
  let pastNodeModules = false;
  for (let at = dir; ; at = dirname(at)) {
    if (basename(at) === 'node_modules') pastNodeModules = true;
    const inside = at === root || at.startsWith(`${root}${sep}`);
    const type = await (inside ? typeIn(at) : cachedTypeIn(at));
    if (type !== undefined) return type === null ? { pastNodeModules } : { type, pastNodeModules };
    if (dirname(at) === at) return { pastNodeModules };
  }
}

/**
 * How Node runs entry `path` of the plugin at `root`, where that is certain: `commonjs` for a `.cjs` file or a `.js`
 * file whose nearest package.json says `"type": "commonjs"`, `module` for a `.mjs` file or a `.js` file whose package
 * scope (as Node finds it) says `"type": "module"`. Undefined otherwise: a `.js` file with no `type` is left to
 * Node's own syntax detection (through `import()`), since `require()` would cache an ESM file outside any generation.
 */
export async function entryFormat(path: string, root: string): Promise<'commonjs' | 'module' | undefined> {
  if (path.endsWith('.cjs')) return 'commonjs';
  if (path.endsWith('.mjs')) return 'module';
  if (!path.endsWith('.js')) return undefined;
  const { type, pastNodeModules } = await packageType(dirname(path), root);
  if (type === 'commonjs') return 'commonjs';
  return type === 'module' && !pastNodeModules ? 'module' : undefined;
}
