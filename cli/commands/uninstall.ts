import { resolve } from 'node:path';
import type { Command } from 'commander';
import { uninstallPlugin } from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { writeOutput } from '../render/write-output.js';

/** `modu uninstall <name> [--plugins DIR] [--force] [--json]`. */
export function addUninstallCommand(program: Command, io: CliIO): void {
  program
    .command('uninstall')
    .description('remove an installed plugin (refused while another installed plugin needs it)')
    .argument('<name>', 'the plugin name')
    .option('--plugins <dir>', 'the plugins folder', 'plugins')
    .option('--force', 'remove it even if other plugins depend on it')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { plugins: string; force?: boolean; json?: boolean }) => {
      const result = await uninstallPlugin(name, {
        pluginsDir: resolve(io.cwd, options.plugins),
        force: options.force === true,
      });
      writeOutput(io, options.json, result, (r) => `removed ${r.removed}@${r.version}\n`);
    });
}
