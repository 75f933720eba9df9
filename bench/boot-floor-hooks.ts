/**
 * The least a module gate can do, for bench/boot-floor-child.ts: bare `modu` resolves to the plugin API, and the
 * files of the plugins folder resolve and load without a question (read in one call, declared ES modules, no format
 * detection). The same functions serve both hook styles: on Node 20 (`module.register`) every import crosses to
 * Node's hooks thread and back, as any gate's must; with `module.registerHooks` they run in-thread, synchronously.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface FloorHooksData {
  readonly moduURL: string;
  /** file: URL of the plugins folder, ending in a slash. */
  readonly pluginsURL: string;
}
type Resolved = { url: string; format?: string; shortCircuit?: boolean };
type Loaded = { format: string; source?: Buffer | string | null; shortCircuit?: boolean };

let data: FloorHooksData = { moduURL: '', pluginsURL: '' };

export function initialize(received: FloorHooksData): void {
  data = received;
}

export function resolve<R extends Resolved | Promise<Resolved>>(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => R,
): Resolved | R {
  if (specifier === 'modu') return { url: data.moduURL, format: 'module', shortCircuit: true };
  if (specifier.startsWith(data.pluginsURL)) return { url: specifier, shortCircuit: true };
  return next(specifier, context);
}

export function load<L extends Loaded | Promise<Loaded>>(
  url: string,
  context: unknown,
  next: (url: string, context: unknown) => L,
): Loaded | L {
  if (!url.startsWith(data.pluginsURL)) return next(url, context);
  return { format: 'module', source: readFileSync(fileURLToPath(url)), shortCircuit: true };
}
