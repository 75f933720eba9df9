import { expect } from 'chai';
import { writeTgz } from '../../../registry/index.js';
import { modu as runModu } from '../../helpers/cli.js';
import type { FollowingHost } from './following-host.js';

/** A plugin archive whose definition is `code`. */
export function plugin(name: string, version: string, code: string): Buffer {
  return writeTgz([
    {
      path: 'index.js',
      data: Buffer.from(`import { definePlugin } from 'modu';\nexport default definePlugin(${code});\n`),
    },
    { path: 'plugin.yaml', data: Buffer.from(`name: ${name}\nversion: ${version}\nmain: index.js\nkernel: ^1.0.0\n`) },
  ]);
}

/** `hello@version`, answering its version on GET /hello/. */
export const hello = (version: string, extra = '') =>
  plugin(
    'hello',
    version,
    `{ routes: [{ method: 'GET', path: '/', handler: () => ({ version: '${version}' }) }]${extra} }`,
  );

/** `hello@version` whose onStart throws, so a host cannot apply it. */
export const brokenHello = (version: string) =>
  hello(version, `, onStart() { throw new Error('hello ${version} refuses to start'); }`);

/** Polls `check` until it holds or the budget runs out (a generous budget: the machine is shared). */
export async function eventually(what: string, check: () => Promise<boolean>, budgetMs = 90_000): Promise<void> {
  const end = Date.now() + budgetMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > end) throw new Error(`not within ${budgetMs / 1000} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The version of hello a host serves, or undefined when it does not answer. */
export async function helloVersion(host: FollowingHost): Promise<string | undefined> {
  const response = await fetch(`${host.url}/hello/`);
  return response.ok ? ((await response.json()) as { version: string }).version : undefined;
}

/** Runs `modu <argv>` in-process in `cwd`, expects exit 0 and resolves to its stdout. */
export async function modu(cwd: string, argv: string[], env: Record<string, string> = {}): Promise<string> {
  const run = await runModu(argv, cwd, env);
  expect(run.code, run.stderr).to.equal(0);
  return run.stdout;
}
