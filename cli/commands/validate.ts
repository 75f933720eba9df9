import { resolve } from 'node:path';
import { checkSchema, readManifest } from '../../kernel/index.js';
import { writeOutput } from '../render/write-output.js';
import type { AddCommand } from './index.js';

/** `modu validate <dir>`: the manifest, the folder's structure and the config schema. */
export const addValidateCommand: AddCommand = (program, io) => {
  program
    .command('validate')
    .description('check a plugin folder: manifest, entry module, config schema')
    .argument('<dir>', 'plugin folder')
    .option('--json', 'print JSON')
    .action(async (dir: string, options: { json?: boolean }) => {
      const pkg = await readManifest(resolve(io.cwd, dir));
      if (pkg.manifest.config) checkSchema(pkg.manifest.config, { file: `${pkg.manifestFile} /config` });
      const result = { valid: true, name: pkg.manifest.name, version: pkg.manifest.version, root: pkg.root };
      writeOutput(io, options.json, result, (r) => `${r.name}@${r.version} is valid (${r.root})\n`);
    });
};
