import { resolve } from 'node:path';
import type { Command } from 'commander';
import { packPluginTo } from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { packedText } from '../render/registry-text.js';
import { writeOutput } from '../render/write-output.js';

/** `modu pack <dir> [--out DIR] [--json]`: a deterministic `<name>-<version>.tgz` and its integrity. */
export function addPackCommand(program: Command, io: CliIO): void {
  program
    .command('pack')
    .description('pack a plugin folder into <name>-<version>.tgz and print its integrity')
    .argument('<dir>', 'the plugin folder')
    .option('--out <dir>', 'where to write the archive', '.')
    .option('--json', 'print JSON')
    .action(async (dir: string, options: { out: string; json?: boolean }) => {
      const packed = await packPluginTo(resolve(io.cwd, dir), resolve(io.cwd, options.out));
      const { bytes: _bytes, ...summary } = packed;
      writeOutput(io, options.json, { ...summary, size: packed.bytes.length }, () => packedText(packed));
    });
}
