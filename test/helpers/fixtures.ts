import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { Logger } from '../../kernel/index.js';

/** dist/fixtures: the compiled fixture plugins (TypeScript ones built, YAML and JS copied). */
export const fixturesDir = fileURLToPath(new URL('../../fixtures/', import.meta.url));

/** The example app's plugins folder. */
export const examplePlugins = join(fixturesDir, 'example', 'plugins');

/** A logger that drops everything, for tests that do not look at logs. */
export const silentLogger = pino({ level: 'silent' }) as unknown as Logger;

/** A minimal plugin.yaml for `name` (version 1.0.0, entry index.js), with `extra` YAML lines appended. */
export const pluginManifest = (name: string, extra = '') =>
  `name: ${name}\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n${extra}`;

const scratchRoot = join(tmpdir(), `modu-test-${process.pid}`);

/**
 * A fresh plugins folder, outside the package (so `modu` resolves only through the module gate, as
 * for a real host), holding copies of fixture plugin folders (paths relative to fixtures/).
 */
export async function pluginsFolder(...fixtures: string[]): Promise<string> {
  await mkdir(scratchRoot, { recursive: true });
  const root = await mkdtemp(join(scratchRoot, 'plugins-'));
  for (const fixture of fixtures) {
    const name = fixture.split('/').pop() as string;
    await cp(join(fixturesDir, fixture), join(root, name), { recursive: true });
  }
  return root;
}

/** Writes a plugin folder from a map of file name to content. */
export async function writePlugin(root: string, folder: string, files: Record<string, string>): Promise<string> {
  const dir = join(root, folder);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

/** Removes every scratch folder made by this run. */
export async function removeScratch(): Promise<void> {
  await rm(scratchRoot, { recursive: true, force: true });
}
