import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A scratch folder removed by `cleanup()`; every registry test works in its own. */
export interface Scratch {
  readonly root: string;
  path(...parts: string[]): string;
  cleanup(): Promise<void>;
}

export async function scratch(prefix = 'modu-registry-'): Promise<Scratch> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  return { root, path: (...parts) => join(root, ...parts), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** What a test plugin folder holds besides its manifest. */
export interface PluginSpec {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly files?: Record<string, string>;
}

/** Writes a real, valid plugin folder and returns its path. */
export async function writePlugin(parent: string, spec: PluginSpec): Promise<string> {
  const root = join(parent, `${spec.name.replace('/', '__')}-${spec.version}`);
  const lines = [`name: '${spec.name}'`, `version: ${spec.version}`, 'main: index.js', "kernel: '^1.0.0'"];
  if (spec.description !== undefined) lines.push(`description: ${JSON.stringify(spec.description)}`);
  if (spec.keywords !== undefined) lines.push(`keywords: ${JSON.stringify(spec.keywords)}`);
  for (const field of ['dependencies', 'optionalDependencies'] as const) {
    const deps = spec[field];
    if (deps !== undefined) lines.push(`${field}: ${JSON.stringify(deps)}`);
  }
  const files = {
    'plugin.yaml': `${lines.join('\n')}\n`,
    'index.js': `export default { version: '${spec.version}' };\n`,
    ...spec.files,
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), text);
  }
  return root;
}
