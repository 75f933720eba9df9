import { dirname } from 'node:path';
import type { CjsLoader, CjsModule } from './cjs-gate.js';

/**
 * A test for "inside one of `roots`" that walks a path's folders up to a root, remembering each folder's answer:
 * one sweep of the require cache costs about one set lookup per module, however many roots it evicts.
 */
function insideAny(roots: ReadonlySet<string>): (path: string) => boolean {
  const known = new Map<string, boolean>();
  const folderInside = (dir: string): boolean => {
    const cached = known.get(dir);
    if (cached !== undefined) return cached;
    const parent = dirname(dir);
    const inside = roots.has(dir) || (parent !== dir && folderInside(parent));
    known.set(dir, inside);
    return inside;
  };
  return (path) => roots.has(path) || folderInside(dirname(path));
}

/**
 * Removes every CommonJS module under any of `roots` from the require cache, the links to them from other modules'
 * `children`, and resolution-cache entries pointing into those folders; nothing else is touched. One pass over the
 * caches serves all the roots, so a stop that releases every plugin at once stays linear. Returns how many modules
 * were evicted.
 */
export function evictCjs(loader: CjsLoader, roots: ReadonlySet<string>): number {
  if (roots.size === 0) return 0;
  const inside = insideAny(roots);
  const cache = loader._cache;
  let evicted = 0;
  for (const key of Object.keys(cache)) {
    if (inside(key)) {
      delete cache[key];
      evicted++;
    }
  }
  const evictedChild = (child: CjsModule) => typeof child.filename === 'string' && inside(child.filename);
  for (const module of Object.values(cache)) {
    // Entries made for ES modules loaded through require() have no children list.
    if (!Array.isArray(module?.children) || !module.children.some(evictedChild)) continue;
    module.children = module.children.filter((child) => !evictedChild(child));
  }
  for (const [key, filename] of Object.entries(loader._pathCache)) {
    if (typeof filename === 'string' && inside(filename)) delete loader._pathCache[key];
  }
  return evicted;
}
