/**
 * The least a module gate can do on Node 20, for bench/boot-floor-child.ts: bare `modu` resolves to the plugin API,
 * and the files of the plugins folder resolve and load without a question (read in one call, declared ES modules,
 * no format detection). Every import still crosses to Node's hooks thread and back, as any gate's must.
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

export async function resolve(
  specifier: string,
  context: unknown,
  next: (specifier: string, context: unknown) => Promise<Resolved>,
): Promise<Resolved> {
  if (specifier === 'modu') return { url: data.moduURL, format: 'module', shortCircuit: true };
  if (specifier.startsWith(data.pluginsURL)) return { url: specifier, shortCircuit: true };
  return next(specifier, context);
}

export async function load(
  url: string,
  context: unknown,
  next: (url: string, context: unknown) => Promise<Loaded>,
): Promise<Loaded> {
  if (!url.startsWith(data.pluginsURL)) return next(url, context);
  return { format: 'module', source: readFileSync(fileURLToPath(url)), shortCircuit: true };
}
