import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** A deterministic pseudo-random generator (mulberry32), so that runs compare like for like. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One generated plugin: its name, the plugins it depends on, and the body of its definePlugin({...}). */
export interface GeneratedPlugin {
  readonly name: string;
  readonly dependencies: readonly string[];
  readonly definition: string;
}

// Outside the package, as a host's plugins folder is: `import 'modu'` resolves through the module gate.
export const benchRoot = join(tmpdir(), 'modu-bench');

/** How a generated plugin's entry is written: an ES module (`index.js`) or CommonJS (`index.cjs`). */
export type EntryFormat = 'esm' | 'cjs';

function entrySource(format: EntryFormat, definition: string): string {
  return format === 'esm'
    ? `import { definePlugin } from 'modu';\nexport default definePlugin(${definition});\n`
    : `const { definePlugin } = require('modu');\nmodule.exports = definePlugin(${definition});\n`;
}

/**
 * Writes plugin folders (plugin.yaml + an entry exporting one service) into a fresh folder, then waits until they
 * are as settled as a restarted host's plugins: the scan cache trusts a file's identity only once it has not changed
 * for 2 s.
 */
export async function writePlugins(
  label: string,
  plugins: readonly GeneratedPlugin[],
  format: EntryFormat = 'esm',
): Promise<string> {
  const main = format === 'esm' ? 'index.js' : 'index.cjs';
  const root = join(benchRoot, label);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (let i = 0; i < plugins.length; i += 256) {
    await Promise.all(
      plugins.slice(i, i + 256).map(async ({ name, dependencies, definition }) => {
        const dir = join(root, name);
        await mkdir(dir);
        const deps =
          dependencies.length === 0 ? '' : `dependencies:\n${dependencies.map((d) => `  ${d}: ^1.0.0\n`).join('')}`;
        const manifest = `name: ${name}\nversion: 1.0.0\nmain: ${main}\nkernel: ^1.0.0\nexports:\n  services: [Value]\n${deps}`;
        await writeFile(join(dir, 'plugin.yaml'), manifest);
        await writeFile(join(dir, main), entrySource(format, definition));
      }),
    );
  }
  await delay(2_100);
  return root;
}

/** `count` plugins in a random DAG where each depends on up to `fanIn` earlier ones. */
export function randomDag(count: number, fanIn: number, seed = 42): GeneratedPlugin[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) => {
    const deps = new Set<string>();
    for (let k = 0; k < fanIn && i > 0; k++) deps.add(`p${Math.floor(random() * i)}`);
    const uses = [...deps].map((d) => `use('${d}/Value')`).join(', ');
    return {
      name: `p${i}`,
      dependencies: [...deps],
      definition: `{ services: { Value: { factory: ({ use }) => ({ id: ${i}, deps: [${uses}].length }) } } }`,
    };
  });
}

/** Removes every generated folder. */
export async function removeGenerated(): Promise<void> {
  await rm(benchRoot, { recursive: true, force: true });
}
