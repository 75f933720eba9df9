import { access, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ModuError } from '../../kernel/index.js';
import '../errors.js';

/** Files to write, by path relative to the scaffold's root. */
export type ScaffoldFiles = Readonly<Record<string, string>>;

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * Writes every file under `root`, or none when any of them exists already.
 *
 * @throws ModuError `MODU_CLI_SCAFFOLD_EXISTS` naming the files that exist
 */
export async function writeScaffold(root: string, files: ScaffoldFiles): Promise<string[]> {
  const paths = Object.keys(files);
  const taken: string[] = [];
  for (const path of paths) if (await exists(join(root, path))) taken.push(path);
  if (taken.length > 0) {
    throw new ModuError('MODU_CLI_SCAFFOLD_EXISTS', `${root} already has ${taken.join(', ')}.`, {
      details: { root, files: taken },
    });
  }
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text, { flag: 'wx' });
  }
  return paths;
}

const pluginName = /^(@[a-z0-9][a-z0-9-]*\/)?[a-z0-9][a-z0-9-]*$/;

/** Checks a plugin name as plugin.yaml will. @throws ModuError `MODU_CLI_NAME_INVALID` */
export function checkPluginName(name: string): void {
  if (!pluginName.test(name)) {
    throw new ModuError('MODU_CLI_NAME_INVALID', `'${name}' is not a valid plugin name.`, { details: { name } });
  }
}
