import { basename, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { writeOutput } from '../render/write-output.js';
import { defaultModuSpec, hostApp } from '../scaffold/host-templates.js';
import { writeScaffold } from '../scaffold/write-scaffold.js';

/** An npm package name from a folder name. */
const packageName = (dir: string) =>
  basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'modu-app';

/** `modu init [dir]`: a host app that `npm install && npx modu start` serves and `npm test` tests. */
export function addInitCommand(program: Command, io: CliIO): void {
  program
    .command('init')
    .description('create a host app: package.json, modu.yaml, a plugins folder with one plugin, and its test')
    .argument('[dir]', 'the folder to create it in', '.')
    .option('--modu <spec>', `the modu dependency (default ${defaultModuSpec()}; file:PATH for a local checkout)`)
    .option('--json', 'print JSON')
    .action(async (dir: string, options: { modu?: string; json?: boolean }) => {
      const root = resolve(io.cwd, dir);
      const files = await writeScaffold(
        root,
        hostApp({ name: packageName(root), ...(options.modu === undefined ? {} : { moduSpec: options.modu }) }),
      );
      const cd = relative(io.cwd, root);
      const next = [...(cd === '' ? [] : [`cd ${cd}`]), 'npm install', 'npx modu start', 'npm test'];
      writeOutput(io, options.json, { root, files, next }, () => {
        const list = files.map((file) => `  ${file}\n`).join('');
        return `created a Modu app in ${root}:\n${list}next:\n${next.map((step) => `  ${step}\n`).join('')}then: curl http://127.0.0.1:3000/hello/world\n`;
      });
    });
}
