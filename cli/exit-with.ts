/**
 * Thrown by a command that has already printed its report (for example `modu graph` finding a
 * cycle) and only needs `modu` to exit with `code`; nothing more is printed.
 */
export class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'ExitWith';
  }
}
