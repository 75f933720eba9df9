import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_SCAN_LIMITS } from '../kernel/index.js';

/** About `bytes` of ordinary plugin code in one file: classes, closures, templates, object literals. */
function fileOf(bytes: number, i: number): string {
  const unit = `
export class Service${i}_N {
  #cache = new Map();
  constructor(options = {}) { this.options = { pageSize: 20, prefix: '/items', ...options }; }
  async find(id) {
    if (this.#cache.has(id)) return this.#cache.get(id);
    const value = { id, label: \`item \${id} of \${this.options.pageSize}\`, tags: ['a', 'b', 'c'] };
    this.#cache.set(id, value);
    return value;
  }
  list(items) { return items.filter((item) => item.id % 2 === 0).map((item) => ({ ...item, even: true })); }
}
`;
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size + unit.length < bytes; n++) {
    const part = unit.replace('_N', `_${n}`);
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

/** A plugin as large as the limits allow: `maxPluginBytes` of JavaScript in files of `maxFileBytes`. */
async function largestPlugin(): Promise<string> {
  const { maxPluginBytes, maxFileBytes } = DEFAULT_SCAN_LIMITS;
  const root = await mkdtemp(join(tmpdir(), 'modu-bench-scan-memory-'));
  const count = Math.floor(maxPluginBytes / maxFileBytes);
  const file = fileOf(maxFileBytes - 1024, 0);
  for (let i = 0; i < count; i++) await writeFile(join(root, `module-${i}.js`), file);
  return root;
}

interface Measured {
  readonly ms: number;
  readonly bytes: number;
  readonly files: number;
  readonly rules: string[];
  readonly rssGrowth: number;
  readonly heapGrowth: number;
}

async function measure(root: string, small: string, mode: 'in-thread' | 'threads'): Promise<Measured> {
  const child = fileURLToPath(new URL('./scanner-memory-child.js', import.meta.url));
  const run = await promisify(execFile)(process.execPath, ['--expose-gc', child, root, small, mode], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(run.stdout) as Measured;
}

/**
 * Prints how far scanning the largest plugin the default limits allow grows a fresh process's memory, in this thread
 * and on worker threads, as MB and as a multiple of the plugin's size.
 */
export async function run(): Promise<void> {
  const root = await largestPlugin();
  const small = await mkdtemp(join(tmpdir(), 'modu-bench-scan-small-'));
  try {
    await mkdir(small, { recursive: true });
    await writeFile(join(small, 'index.js'), fileOf(10_000, 0));
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    const { maxPluginBytes, maxFileBytes } = DEFAULT_SCAN_LIMITS;
    console.log(
      `scanner memory: the largest plugin the limits allow, ${mb(maxPluginBytes)} MB in files of ${mb(maxFileBytes)} MB`,
    );
    for (const mode of ['in-thread', 'threads'] as const) {
      const m = await measure(root, small, mode);
      const ratio = (growth: number) => (growth / m.bytes).toFixed(1);
      console.log(
        `  ${mode}: ${m.files} files, ${mb(m.bytes)} MB scanned in ${(m.ms / 1000).toFixed(1)} s; peak growth: RSS ${mb(m.rssGrowth)} MB (${ratio(m.rssGrowth)}x the plugin), heap ${mb(m.heapGrowth)} MB (${ratio(m.heapGrowth)}x)${m.rules.length > 0 ? `; findings: ${m.rules.join(', ')}` : ''}`,
      );
    }
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(small, { recursive: true, force: true });
  }
}
