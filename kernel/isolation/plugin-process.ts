import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { IpcChannel, type RequestHandlers } from './ipc-channel.js';
import type { ProcessPermissions } from './process-permissions.js';

/** How a plugin process ended: exit code, signal, and the cause in words (`memoryMb (64) reached`, …). */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: string | null;
  readonly cause: string;
}

/** What starting a plugin process needs. */
export interface ProcessOptions {
  readonly plugin: string;
  readonly permissions: ProcessPermissions;
  /** The host's answers to the child's requests (`use`). */
  readonly handlers: RequestHandlers;
  /** Messages that are not requests or replies: logs, stream chunks. */
  readonly onMessage: (message: { readonly t: string }) => void;
  /** Where the child's stdout and stderr lines go, bound to the plugin. */
  readonly logger: Logger;
}

const CHILD_ENTRY = fileURLToPath(new URL('./child/plugin-child.js', import.meta.url));
const OUT_OF_MEMORY = /heap limit|heap out of memory|allocation failed/i;
const STDERR_KEPT = 4096;

/**
 * One isolated plugin's process: forked under its permissions, with an IPC channel (structured clone) to it.
 * Its stdout and stderr go to the host log; how it ended is in {@link PluginProcess.exited}.
 */
export class PluginProcess {
  readonly channel: IpcChannel;
  readonly pid: number | undefined;
  /** Resolves when the process is gone, with the cause. */
  readonly exited: Promise<ProcessExit>;
  readonly #child: ChildProcess;
  readonly #memoryMb: string;
  #stderr = '';
  /** Why the host ended the process, when it did. */
  #endedBecause: string | undefined;

  constructor(options: ProcessOptions) {
    const { permissions } = options;
    this.#memoryMb = permissions.report.memoryMb.toString();
    this.#child = fork(CHILD_ENTRY, [], {
      execArgv: [...permissions.execArgv],
      env: permissions.env,
      cwd: permissions.cwd,
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.pid = this.#child.pid;
    this.channel = new IpcChannel(this.#child, options.handlers, options.onMessage);
    this.#child.stdout?.setEncoding('utf8').on('data', (text: string) => {
      for (const line of text.split('\n')) if (line !== '') options.logger.info({ stream: 'stdout' }, line);
    });
    this.#child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      this.#stderr = (this.#stderr + text).slice(-STDERR_KEPT);
      for (const line of text.split('\n')) if (line !== '') options.logger.warn({ stream: 'stderr' }, line);
    });
    this.exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        const exit = { code, signal, cause: this.#cause(code, signal) };
        this.channel.close(gone(options.plugin, exit));
        resolve(exit);
      });
      this.#child.once('error', () => undefined); // 'exit' follows, or kill() of a dead process: nothing to do
    });
  }

  /** Resolves when the child said it is ready; rejects when it exits first or is not ready in time. */
  ready(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.kill('not ready in time');
        reject(
          new ModuError('MODU_ISOLATION_START_FAILED', `The plugin process was not ready within ${timeoutMs} ms.`),
        );
      }, timeoutMs);
      const onMessage = (message: unknown) => {
        if ((message as { t?: unknown } | null)?.t !== 'ready') return;
        clearTimeout(timer);
        this.#child.off('message', onMessage);
        resolve();
      };
      this.#child.on('message', onMessage);
      void this.exited.then((exit) => {
        clearTimeout(timer);
        reject(new ModuError('MODU_ISOLATION_START_FAILED', `The plugin process ended at start: ${exit.cause}`));
      });
    });
  }

  /** Kills the process now (SIGKILL), recording why. */
  kill(because: string): void {
    this.#endedBecause ??= because;
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill('SIGKILL');
  }

  /** Ends the process: closes its channel (it exits on its own), then SIGKILL after `deadlineMs`. */
  async end(deadlineMs: number): Promise<ProcessExit> {
    this.#endedBecause ??= 'ended by the host';
    if (this.#child.connected) this.#child.disconnect();
    const timer = setTimeout(() => this.kill('did not exit in time'), deadlineMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  #cause(code: number | null, signal: string | null): string {
    if (this.#endedBecause !== undefined) return this.#endedBecause;
    if (OUT_OF_MEMORY.test(this.#stderr)) return `memoryMb (${this.#memoryMb}) reached`;
    if (signal !== null) return `killed by ${signal}`;
    return `exited with code ${code}`;
  }
}

function gone(plugin: string, exit: ProcessExit): ModuError {
  return new ModuError('MODU_PLUGIN_UNAVAILABLE', `Plugin '${plugin}' is unavailable: its process ${exit.cause}.`, {
    details: { plugin, code: exit.code, signal: exit.signal, cause: exit.cause },
  });
}
