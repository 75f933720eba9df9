import { posix } from 'node:path';
import { checkPlugin } from '../check-plugin.js';
import { ExitCode } from '../cli-io.js';
import { ExitWith } from '../exit-with.js';
import { openPluginSource } from '../open-plugin-source.js';
import { renderScanResult } from '../render/render-scan-result.js';
import { writeOutput } from '../render/write-output.js';
import type { AddCommand } from './index.js';

/** `modu scan <dir|tgz> [--json] [--grant cap...]`: the scan report; exit 1 when the plugin would be rejected. */
export const addScanCommand: AddCommand = (program, io) => {
  program
    .command('scan')
    .description('scan a plugin folder or .tgz: findings (file:line:col), needed capabilities, manifest permissions')
    .argument('<source>', 'plugin folder or .tgz archive')
    .option('--json', 'print the report as JSON')
    .option('--grant <capability...>', 'capabilities the host grants (default: everything the manifest asks for)')
    .action(async (source: string, options: { json?: boolean; grant?: string[] }) => {
      const result = await openPluginSource(io, source, (root, manifestFile) =>
        checkPlugin(root, { grants: options.grant, ...(manifestFile === undefined ? {} : { manifestFile }) }),
      );
      writeOutput(io, options.json, { source: posix.normalize(source), ...result }, renderScanResult);
      if (result.rejected) throw new ExitWith(ExitCode.failed);
    });
};
