import { dirname, join } from 'node:path';
import { readText } from '../../files/read-text.js';

async function packageType(dir: string): Promise<string | undefined> {
  for (let at = dir; ; at = dirname(at)) {
    const text = await readText(join(at, 'package.json')).catch(() => undefined);
    if (text !== undefined) {
      try {
        const { type } = JSON.parse(text) as { type?: unknown };
        return typeof type === 'string' ? type : undefined;
      } catch {
        return undefined;
      }
    }
    if (dirname(at) === at) return undefined;
  }
}

/**
 * True when Node runs `path` as CommonJS for certain: a `.cjs` file, or a `.js` file whose nearest
 * package.json says `"type": "commonjs"`. A `.js` file with no `type` is left to Node's own syntax
 * detection (through `import()`), since `require()` would cache an ESM file outside any generation.
 */
export async function isCommonJsEntry(path: string): Promise<boolean> {
  if (path.endsWith('.cjs')) return true;
  if (!path.endsWith('.js')) return false;
  return (await packageType(dirname(path))) === 'commonjs';
}
