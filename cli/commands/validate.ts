import { posix } from 'node:path';
import { checkSchema, readManifest } from '../../kernel/index.js';
import { checkPlugin } from '../check-plugin.js';
import { ExitCode } from '../cli-io.js';
import { ExitWith } from '../exit-with.js';
import { openPluginSource } from '../open-plugin-source.js';
import { renderScanResult, type ScanResult } from '../render/render-scan-result.js';
import { writeOutput } from '../render/write-output.js';
import type { AddCommand } from './index.js';

/** What `modu validate` reports: the manifest checks passed, then the scan and capability check. */
interface Validation extends ScanResult {
  readonly source: string;
  readonly manifest: 'ok';
  readonly entry: string;
  readonly valid: boolean;
}

function render(validation: Validation): string {
  const head = `manifest ok: ${validation.plugin}@${validation.version} (entry ${validation.entry})\n`;
  return `${head}${renderScanResult(validation)}${validation.valid ? 'valid' : 'invalid'}\n`;
}

/** `modu validate <dir|tgz> [--json]`: manifest, entry module, config schema, then the scan; exit 1 when rejected. */
export const addValidateCommand: AddCommand = (program, io) => {
  program
    .command('validate')
    .description('check a plugin folder or .tgz: manifest, entry module, config schema, security scan, capabilities')
    .argument('<source>', 'plugin folder or .tgz archive')
    .option('--json', 'print JSON')
    .action(async (source: string, options: { json?: boolean }) => {
      const validation = await openPluginSource(io, source, async (root, manifestFile): Promise<Validation> => {
        const pkg = await readManifest(root);
        if (pkg.manifest.config)
          checkSchema(pkg.manifest.config, { file: `${manifestFile ?? pkg.manifestFile} /config` });
        const result = await checkPlugin(pkg.root, manifestFile === undefined ? {} : { manifestFile });
        const entry = pkg.manifest.main;
        return { source: posix.normalize(source), manifest: 'ok', entry, ...result, valid: !result.rejected };
      });
      writeOutput(io, options.json, validation, render);
      if (!validation.valid) throw new ExitWith(ExitCode.failed);
    });
};
