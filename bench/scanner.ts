import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanPlugin, scanSource } from '../kernel/index.js';
import { parseSource } from '../kernel/scanner/parse-source.js';

/** One generated module of ordinary plugin code: imports, classes, closures, templates, object literals. */
function moduleSource(i: number): string {
  const parts = [`import { join } from 'node:path';\nimport { helper${i} } from './lib/helper-${i % 10}.js';\n`];
  for (let j = 0; j < 40; j++) {
    parts.push(`
export class Service${i}_${j} {
  #cache = new Map();
  constructor(options = {}) {
    this.options = { pageSize: 20, prefix: '/items', ...options };
  }
  async find(id) {
    if (this.#cache.has(id)) return this.#cache.get(id);
    const path = join(this.options.prefix, String(id));
    const value = { id, path, label: \`item \${id} of \${this.options.pageSize}\`, tags: ['a', 'b', 'c'] };
    this.#cache.set(id, value);
    return helper${i}(value);
  }
  list(items) {
    return items.filter((item) => item.id % 2 === 0).map((item) => ({ ...item, even: true })).slice(0, 10);
  }
}
`);
  }
  return parts.join('');
}

async function generatedPlugin(files: number): Promise<{ root: string; bytes: number }> {
  const root = await mkdtemp(join(tmpdir(), 'modu-bench-scan-'));
  await mkdir(join(root, 'lib'));
  let bytes = 0;
  for (let i = 0; i < files; i++) {
    const text = moduleSource(i);
    bytes += text.length;
    await writeFile(join(root, `module-${i}.js`), text);
  }
  for (let i = 0; i < 10; i++)
    await writeFile(join(root, 'lib', `helper-${i}.js`), `export const helper${i} = (v) => v;\n`);
  return { root, bytes };
}

/** Inputs built to hurt a parser or a walker, each about 1 MB. */
function adversarialInputs(): Record<string, string> {
  const mb = 1024 * 1024;
  const depth = mb / 2;
  return {
    'nested brackets': `${'['.repeat(depth)}${']'.repeat(depth)}`,
    'deep sloppy functions using this':
      `function f() { ${'g(function () { h(this); '.repeat(400)}${'});'.repeat(400)} }\n`.repeat(100),
    'long + chain in require': `require(${"'a' + ".repeat(mb / 6)}'a');`,
    'dense member statements': 'x.y;\n'.repeat(mb / 5),
    'escaped identifiers': '\\u0061bc;\n'.repeat(mb / 10),
    'many findings': 'eval(1);\n'.repeat(mb / 9),
  };
}

function timed<T>(fn: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = fn();
  return { ms: performance.now() - start, value };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** Scan and parse-only rounds interleaved, so that load on a shared machine hits both alike. */
async function throughput(root: string, sources: readonly string[], rounds: number) {
  const scan: number[] = [];
  const parseOnly: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const start = performance.now();
    await scanPlugin(root);
    scan.push(performance.now() - start);
    parseOnly.push(
      timed(() => {
        for (const code of sources) parseSource(code, 'module');
      }).ms,
    );
  }
  return { scan, parseOnly };
}

/** Prints scanner throughput over a generated plugin beside the scanner's parse step alone, then worst cases. */
export async function run(): Promise<void> {
  const files = 100;
  const { root, bytes } = await generatedPlugin(files);
  try {
    const sources = Array.from({ length: files }, (_, i) => moduleSource(i));
    await throughput(root, sources, 2);
    const { scan, parseOnly } = await throughput(root, sources, 7);
    const mb = bytes / 1024 / 1024;
    const rate = (ms: number) => `${(mb / (ms / 1000)).toFixed(1)} MB/s`;
    console.log(`scanner: generated plugin of ${mb.toFixed(1)} MB in ${files + 10} files, 7 interleaved rounds`);
    console.log(
      `  scanPlugin (list, read, hash, parse, walk): best ${rate(Math.min(...scan))}, median ${rate(median(scan))}`,
    );
    console.log(
      `  parse alone (meriyah), same sources:       best ${rate(Math.min(...parseOnly))}, median ${rate(median(parseOnly))}`,
    );
    const ratios = scan.map((ms, i) => ms / (parseOnly[i] ?? ms));
    console.log(`  scanPlugin time / parse time: median ${median(ratios).toFixed(2)}`);
    const cacheDir = join(root, '..', `${root.split('/').pop()}-cache`);
    await scanPlugin(root, { cacheDir });
    const hits: number[] = [];
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      await scanPlugin(root, { cacheDir });
      hits.push(performance.now() - start);
    }
    await rm(cacheDir, { recursive: true, force: true });
    console.log(
      `  cached rescan (list, read, hash): median ${median(hits).toFixed(0)} ms, ${(median(scan) / median(hits)).toFixed(1)}x faster than a scan`,
    );
    for (const [name, code] of Object.entries(adversarialInputs())) {
      const { ms, value } = timed(() => scanSource(code, { file: 'evil.js' }));
      const parseMs = timed(() => {
        try {
          parseSource(code, 'script');
        } catch {
          // the scanner reports it; here only the time matters
        }
      }).ms;
      const rules = [...new Set(value.map((f) => f.rule))].join(', ') || 'none';
      const size = (code.length / 1024 / 1024).toFixed(2);
      console.log(
        `  worst case, ${name} (${size} MB): scan ${ms.toFixed(0)} ms, parse alone ${parseMs.toFixed(0)} ms -> ${rules}`,
      );
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
