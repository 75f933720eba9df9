import type { CjsLoader } from './cjs-gate.js';
import { isInside } from './gate-policy.js';

/**
 * Removes every CommonJS module under `root` from the require cache, the links to them from other modules'
 * `children`, and resolution-cache entries pointing into the folder; nothing else is touched. Returns how many
 * modules were evicted.
 */
export function evictCjs(loader: CjsLoader, root: string): number {
  const cache = loader._cache;
  let evicted = 0;
  for (const key of Object.keys(cache)) {
    if (isInside(key, root)) {
      delete cache[key];
      evicted++;
    }
  }
  for (const module of Object.values(cache)) {
    // Entries made for ES modules loaded through require() have no children list.
    if (!Array.isArray(module?.children)) continue;
    const kept = module.children.filter(
      (child) => typeof child.filename !== 'string' || !isInside(child.filename, root),
    );
    if (kept.length !== module.children.length) module.children = kept;
  }
  for (const [key, filename] of Object.entries(loader._pathCache)) {
    if (typeof filename === 'string' && isInside(filename, root)) delete loader._pathCache[key];
  }
  return evicted;
}
