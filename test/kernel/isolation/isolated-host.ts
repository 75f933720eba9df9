// A real host for the isolation tests: a kernel over copies of fixture plugins, served by Express on loopback.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Koa from 'koa';
import { pino } from 'pino';
import { expressHandler } from '../../../adapters/express/index.js';
import { koaMiddleware } from '../../../adapters/koa/index.js';
import { createKernel, type Kernel, type KernelOptions, type Logger } from '../../../kernel/index.js';
import { pluginsFolder } from '../../helpers/fixtures.js';

/** One log line the host wrote. */
export type LogLine = Record<string, unknown> & { msg?: string; plugin?: string };

/** A started kernel, its server's base URL, the host log lines, and how to close it all. */
export interface IsolatedHost {
  readonly kernel: Kernel;
  readonly url: string;
  readonly dir: string;
  readonly logs: LogLine[];
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/** A logger that keeps every line, so tests can read what reached the host log. */
function keptLogger(lines: LogLine[]): Logger {
  const stream = { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) };
  return pino({ level: 'debug' }, stream) as unknown as Logger;
}

/** Starts a kernel over `fixtures` (paths under fixtures/) with `options`, served by Express or Koa on 127.0.0.1:0. */
export async function startIsolatedHost(
  fixtures: readonly string[],
  options: Omit<KernelOptions, 'pluginDirs'>,
  framework: 'express' | 'koa' = 'express',
): Promise<IsolatedHost> {
  const dir = await pluginsFolder(...fixtures);
  const logs: LogLine[] = [];
  const kernel = createKernel({ pluginDirs: [dir], logger: keptLogger(logs), ...options });
  await kernel.start();
  const server = await new Promise<Server>((resolve) => {
    if (framework === 'koa') {
      const app = new Koa();
      app.use(koaMiddleware(kernel.http));
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
      return;
    }
    const app = express();
    app.use(expressHandler(kernel.http));
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    kernel,
    url,
    dir,
    logs,
    get: (path, init = {}) => fetch(`${url}${path}`, init),
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await kernel.stop();
    },
  };
}

/** True while a process with `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `check` every 20 ms until it holds, or fails after `budgetMs`. */
export async function eventually(check: () => boolean | Promise<boolean>, budgetMs: number, what: string) {
  const until = Date.now() + budgetMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${budgetMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
