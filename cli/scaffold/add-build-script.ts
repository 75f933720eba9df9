import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface PackageJson {
  scripts?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/**
 * Adds `tsc -p src/<name>` to the app's `build` script (creating it, and `prestart`/`pretest` running it, when
 * absent) and TypeScript to its devDependencies. Resolves false when there is no package.json to change.
 */
export async function addBuildScript(root: string, name: string): Promise<boolean> {
  const file = join(root, 'package.json');
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(await readFile(file, 'utf8')) as PackageJson;
  } catch {
    return false;
  }
  const step = `tsc -p src/${name}`;
  const scripts = { ...pkg.scripts };
  if (!scripts.build?.includes(step)) scripts.build = scripts.build ? `${scripts.build} && ${step}` : step;
  scripts.prestart ??= 'npm run build';
  scripts.pretest ??= 'npm run build';
  const devDependencies = { typescript: '^7.0.0', ...pkg.devDependencies };
  await writeFile(file, `${JSON.stringify({ ...pkg, scripts, devDependencies }, null, 2)}\n`);
  return true;
}
