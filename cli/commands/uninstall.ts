import type { Command } from 'commander';
import { uninstallPlugin } from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { installTarget } from '../plugin-dirs.js';
import { writeOutput } from '../render/write-output.js';

/** `modu uninstall <name> [--plugins DIR] [--force] [--json]`. */
export function addUninstallCommand(program: Command, io: CliIO): void {
  program
    .command('uninstall')
    .description('remove an installed plugin (refused while another installed plugin needs it)')
    .argument('<name>', 'the plugin name')
    .option('--plugins <dir>', 'the plugins folder (default: first pluginDirs of ./modu.yaml, else ./plugins)')
    .option('--config <file>', 'host config file to read that default from (default ./modu.yaml)')
    .option('--force', 'remove it even if other plugins depend on it')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { plugins?: string; config?: string; force?: boolean; json?: boolean }) => {
      const { pluginsDir } = await installTarget(io, options);
      const result = await uninstallPlugin(name, {
        pluginsDir,
        force: options.force === true,
      });
      writeOutput(io, options.json, result, (r) => `removed ${r.removed}@${r.version}\n`);
    });
}
