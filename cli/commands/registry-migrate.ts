import { resolve } from 'node:path';
import type { Command } from 'commander';
import { isPostgresUrl, type MigrateResult, migrateRegistry, openLocalRegistry } from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';
import { writeOutput } from '../render/write-output.js';

function migratedText(result: MigrateResult): string {
  return `migrated ${result.from} -> ${result.to}: ${result.plugins} plugins, ${result.copied} versions copied, ${result.present} already there, ${result.audit} audit entries\n`;
}

/** `modu registry migrate --from <dir> --to <address> [--json]`: copies a registry, verifying every version. */
export function addMigrate(registry: Command, io: CliIO): void {
  registry
    .command('migrate')
    .description(
      'copy a registry folder into another registry (postgres://), verifying integrity and signatures; safe to rerun',
    )
    .requiredOption('--from <dir>', 'the registry folder to copy')
    .requiredOption('--to <address>', 'the target: a postgres:// address or a folder')
    .option('--json', 'print JSON')
    .action(async (flags: { from: string; to: string; json?: boolean }) => {
      const source = await openLocalRegistry(resolve(io.cwd, flags.from));
      const target = await openLocalRegistry(isPostgresUrl(flags.to) ? flags.to : resolve(io.cwd, flags.to));
      writeOutput(io, flags.json, await migrateRegistry(source, target), migratedText);
    });
}
