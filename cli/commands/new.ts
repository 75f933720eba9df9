import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { writeOutput } from '../render/write-output.js';
import { addBuildScript } from '../scaffold/add-build-script.js';
import { fileStem, jsPlugin, tsPlugin } from '../scaffold/plugin-templates.js';
import { checkPluginName, writeScaffold } from '../scaffold/write-scaffold.js';

interface NewPluginOptions {
  readonly ts?: boolean;
  readonly dir: string;
  readonly json?: boolean;
}

function nextSteps(name: string, options: NewPluginOptions): string[] {
  const build = options.ts ? ['npm install', `npx tsc -p src/${name}`] : [];
  return [...build, `node --test test/${fileStem(name)}.test.js`, `npx modu start   # then GET /${name}/world`];
}

/** `modu new plugin <name> [--ts] [--dir plugins]`: a plugin folder, its code and its test, in the current app. */
export function addNewCommand(program: Command, io: CliIO): void {
  const command = program.command('new').description('create something new in this app: `modu new plugin <name>`');
  command
    .command('plugin')
    .description('create a plugin: plugin.yaml, code (JavaScript, or TypeScript with --ts) and a test')
    .argument('<name>', 'the plugin name (lowercase, dashes, optionally @scope/name)')
    .option('--ts', 'TypeScript with decorators: sources in src/<name>/, built by tsc into the plugin folder')
    .option('--dir <dir>', 'the plugins folder, relative to the current folder', 'plugins')
    .option('--json', 'print JSON')
    .action(async (name: string, options: NewPluginOptions) => {
      checkPluginName(name);
      const scaffold = { name, dir: options.dir.replace(/\/+$/, '') };
      const files = await writeScaffold(io.cwd, options.ts ? tsPlugin(scaffold) : jsPlugin(scaffold));
      if (options.ts && (await addBuildScript(io.cwd, name))) files.push('package.json (build script, typescript)');
      const next = nextSteps(name, options);
      writeOutput(io, options.json, { root: resolve(io.cwd), files, next }, () => {
        const list = files.map((file) => `  ${file}\n`).join('');
        const ts = options.ts ? 'needs: npm install (for typescript), or npm install -D typescript\n' : '';
        return `created plugin ${name}:\n${list}${ts}next:\n${next.map((step) => `  ${step}\n`).join('')}`;
      });
    });
}
