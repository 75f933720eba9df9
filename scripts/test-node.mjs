// Runs the mocha suite (on the current build in dist/) on each Node major named, one after the other, with that
// Node first on PATH so that whatever the tests start runs on it too; the majors not on this machine are installed
// from the npm registry into .cache/node/ first (scripts/node-versions.mjs). Exits non-zero when any run fails.
//
//   node scripts/test-node.mjs 24 26       (npm run test:node -- 24 builds first)
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installNode, TESTED_MAJORS } from './node-versions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const mocha = join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
const majors = process.argv.slice(2);
const own = process.versions.node.split('.')[0];
const results = [];
for (const major of majors.length > 0 ? majors : TESTED_MAJORS) {
  const binary = major === own ? process.execPath : installNode(major);
  const version = spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout.trim();
  process.stdout.write(`\n# mocha on Node ${version} (${binary})\n`);
  const env = { ...process.env, PATH: `${dirname(binary)}:${process.env.PATH ?? ''}` };
  const run = spawnSync(binary, [mocha], { cwd: root, env, stdio: 'inherit' });
  results.push({ version, ok: run.status === 0 });
}
for (const { version, ok } of results) process.stdout.write(`Node ${version}: ${ok ? 'passed' : 'FAILED'}\n`);
if (results.some((result) => !result.ok)) process.exitCode = 1;
