import { defineErrors } from '../kernel/index.js';

/** The error codes only the `modu` command throws. `docs/errors.md` lists them; a test keeps them equal. */
export const cliErrors = defineErrors({
  MODU_CLI_SCAFFOLD_EXISTS: {
    title: 'Scaffold would overwrite files',
    status: 409,
    hint: 'Pick an empty or new folder (or another plugin name); modu never overwrites your files.',
  },
  MODU_CLI_NAME_INVALID: {
    title: 'Invalid plugin name',
    status: 400,
    hint: 'Use lowercase letters, digits and dashes, optionally under a scope: hello, user-admin, @acme/billing.',
  },
  MODU_CLI_REGISTRY_MISSING: {
    title: 'Registry folder missing',
    status: 404,
    hint: 'Check --registry (or `registry` in modu.yaml); a folder registry is created by its first `modu registry publish`.',
  },
  MODU_CLI_USAGE: {
    title: 'Usage error',
    status: 400,
    hint: 'Run the command with --help for its arguments and options.',
  },
  MODU_CLI_UNEXPECTED: {
    title: 'Unexpected error',
    status: 500,
    hint: 'This is a bug in modu; please report it with the command you ran (add --verbose for the stack).',
  },
  MODU_CLI_PORT_IN_USE: {
    title: 'Port in use',
    status: 409,
    hint: 'Stop what listens there, or pick another port with --port (0 picks a free one).',
  },
});

declare module '../kernel/errors/modu-error.js' {
  interface ErrorCodes extends Record<keyof typeof cliErrors, true> {}
}
