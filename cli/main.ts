import { Command, CommanderError } from 'commander';
import { KERNEL_VERSION } from '../kernel/index.js';
import { type CliIO, ExitCode } from './cli-io.js';
import { commands } from './commands/index.js';
import { ExitWith } from './exit-with.js';
import { errorJson, renderError, usageErrorJson } from './render/render-error.js';

/**
 * Builds the `modu` program; importing this module has no side effects. With `json`, usage errors are left to the
 * caller, which prints them as JSON.
 */
export function createProgram(io: CliIO, json = false): Command {
  const program = new Command('modu')
    .description('Modu: a plugin kernel for Node.js servers')
    .version(KERNEL_VERSION, '-V, --version', 'print the Modu version')
    .option('--verbose', 'print the stack (and causes) of an error; `start` also logs at debug, a line per request')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => (json ? undefined : write(s)),
      // Help is wrapped to the io's terminal, not process.stdout's, so output is the same wherever it is captured.
      getOutHelpWidth: () => io.stdout.columns ?? 80,
      getErrHelpWidth: () => io.stderr.columns ?? 80,
    })
    .showHelpAfterError(false);
  for (const add of commands) add(program, io);
  return program;
}

/**
 * Runs `modu` with `argv` (without the node and script names) and resolves to its exit code:
 * 0 ok, 1 invalid input or failed operation, 2 usage error. Never throws.
 */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  const json = argv.includes('--json');
  const program = createProgram(io, json);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof ExitWith) return error.code;
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (error.exitCode === 0) return ExitCode.ok;
      if (json) io.stdout.write(`${JSON.stringify(usageErrorJson(error), null, 2)}\n`);
      return ExitCode.usage;
    }
    // Every command answers --json with the same error shape, on stdout where its output would have gone.
    if (json) io.stdout.write(`${JSON.stringify(errorJson(error), null, 2)}\n`);
    else io.stderr.write(renderError(error, argv.includes('--verbose')));
    return ExitCode.failed;
  }
}
