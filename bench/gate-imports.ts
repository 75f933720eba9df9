import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { benchRoot, removeGenerated } from './generate-plugins.js';
import { median } from './median.js';

const run_ = promisify(execFile);
const child = new URL('./gate-imports-child.js', import.meta.url).pathname;
const count = 1_000;

async function importsMs(dir: string, mode: 'gate' | 'plain'): Promise<number> {
  const { stdout } = await run_(process.execPath, [child, dir, mode]);
  return (JSON.parse(stdout) as { ms: number }).ms;
}

/**
 * What the module gate costs an import: 1,000 one-line ES modules, each in its own folder like a plugin's entry,
 * imported in a fresh process through the gate and with plain import(), interleaved, median of 5 each. On Node 20
 * the gate's hooks run on Node's hooks thread and every resolve and load crosses to it and back; this is the floor
 * under the boot of as many plugins.
 */
export async function run(): Promise<void> {
  const dir = join(benchRoot, 'gate-imports');
  for (let i = 0; i < count; i++) {
    await mkdir(join(dir, `m${i}`), { recursive: true });
    await writeFile(join(dir, `m${i}`, 'index.js'), `export default ${i};\n`);
  }
  await delay(100);
  const gate: number[] = [];
  const plain: number[] = [];
  await importsMs(dir, 'gate');
  for (let i = 0; i < 5; i++) {
    gate.push(await importsMs(dir, 'gate'));
    plain.push(await importsMs(dir, 'plain'));
  }
  const [g, p] = [median(gate), median(plain)];
  console.log(
    `imports of ${count} ES modules, fresh process: through the gate ${g.toFixed(0)} ms, plain ${p.toFixed(0)} ms`,
  );
  console.log(`gate / plain: ${(g / p).toFixed(2)}x (median of 5 each, interleaved)`);
  await removeGenerated();
}
