// Copies what tsc does not emit (plugin manifests, plain-JS plugins, YAML host configs, JSON)
// from fixtures/ and test/ into dist/, keeping the folder structure, so compiled tests and the
// example host find real plugin folders next to their compiled TypeScript siblings.
import { cp, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const assetPattern = /\.(ya?ml|js|mjs|cjs|json|node|txt|tgz|wasm)$/;

async function copyAssets(dir) {
  for (const entry of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !assetPattern.test(entry.name)) continue;
    const from = join(entry.parentPath, entry.name);
    await cp(from, join(root, 'dist', relative(root, from)), { force: true });
  }
}

await Promise.all(['fixtures', 'test'].map(copyAssets));
