import { createRequire } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuntimeFeatures } from '../runtime-features.js';

/** What an isolated plugin's process may do, as reports show it. */
export interface PermissionReport {
  /** The permission model flag the process runs under. */
  readonly flag: string;
  readonly fsRead: readonly string[];
  readonly fsWrite: readonly string[];
  readonly childProcess: boolean;
  /** Workers allowed: granted, or (Node without in-thread module hooks) for the module gate's hooks thread. */
  readonly worker: boolean;
  readonly addons: boolean;
  readonly wasi: boolean;
  readonly network:
    | 'granted'
    | 'denied by the permission model'
    | 'denied in the process (no --allow-net on this Node)';
  readonly env: 'empty' | 'inherited';
  readonly memoryMb: number;
}

/** How to start an isolated plugin's process, and what it may do. */
export interface ProcessPermissions {
  readonly execArgv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Built-ins whose every operation the permission model governs in this process (see gateBuiltinLookup). */
  readonly enforced: readonly string[];
  readonly report: PermissionReport;
}

/** What decides an isolated plugin's permissions. */
export interface PermissionInput {
  /** The plugin folder (real path). */
  readonly root: string;
  readonly granted: readonly string[];
  /** Its data folder, writable when `node:fs` is granted. */
  readonly dataDir: string;
  readonly memoryMb: number;
  readonly features: RuntimeFeatures;
}

const NETWORK_BUILTINS = ['net', 'http', 'https', 'http2', 'tls', 'dgram', 'dns'];

/**
 * The Modu runtime files a plugin process reads: this package's compiled code and the folder its dependencies
 * resolve from (its own node_modules in a checkout, the app's when installed).
 */
export function runtimeReadPaths(): string[] {
  const dist = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const packageRoot = dirname(dist);
  const inversify = createRequire(import.meta.url).resolve('inversify');
  const modules = inversify.slice(0, inversify.lastIndexOf(`node_modules`) + 'node_modules'.length);
  return [dist, join(packageRoot, 'package.json'), modules];
}

/**
 * The package.json files above the plugin folder: Node's module loader looks for the nearest one to learn a file's
 * module format, and a lookup the permission model refuses fails the import. Only those files, not their folders.
 */
function packageScopes(root: string): string[] {
  const files: string[] = [];
  for (let dir = dirname(root); ; dir = dirname(dir)) {
    files.push(join(dir, 'package.json'));
    if (dir === dirname(dir)) return files;
  }
}

/**
 * `paths` without duplicates and without paths inside another of them: the permission model of Node 20 aborts the
 * process at start (an assertion in its path tree) when one allowed path repeats another.
 */
function withoutCovered(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((path) => !unique.some((other) => other !== path && path.startsWith(`${other}${sep}`)));
}

/**
 * The flags, environment and working folder of an isolated plugin's process: the permission model on, reads of its
 * own folder and the runtime files, writes only to its data folder and only with `node:fs`, processes, workers,
 * addons, WASI and network only when granted and when the running Node has the flag, an empty environment unless
 * `env` is granted, and the heap capped at `memoryMb`.
 */
export function processPermissions(input: PermissionInput): ProcessPermissions {
  const { features, granted } = input;
  const has = (capability: string) => granted.includes(capability);
  const flag = features.permissionFlag ?? '--experimental-permission';
  const fsRead = withoutCovered([input.root, ...runtimeReadPaths(), ...packageScopes(input.root)]);
  const fsWrite = has('node:fs') ? [input.dataDir] : [];
  const childProcess = has('node:child_process') && features.allowChildProcess;
  // Without in-thread hooks the module gate needs its hooks worker; plugin code is then denied workers by the gate.
  const worker = has('node:worker_threads') || !features.registerHooks;
  const addons = has('native') && features.allowAddons;
  const wasi = has('node:wasi') && features.allowWasi;
  const net = has('network') && features.allowNet;
  const execArgv = [
    flag,
    ...fsRead.map((path) => `--allow-fs-read=${path}`),
    ...fsWrite.map((path) => `--allow-fs-write=${path}`),
    ...(childProcess ? ['--allow-child-process'] : []),
    ...(worker ? ['--allow-worker'] : []),
    ...(addons ? ['--allow-addons'] : []),
    ...(wasi ? ['--allow-wasi'] : []),
    ...(net ? ['--allow-net'] : []),
    `--max-old-space-size=${input.memoryMb}`,
    ...(features.disableWarning ? ['--disable-warning=ExperimentalWarning', '--disable-warning=SecurityWarning'] : []),
  ];
  const enforced = [
    'fs',
    'child_process',
    ...(worker ? [] : ['worker_threads']),
    ...(features.allowWasi ? ['wasi'] : []),
    ...(features.allowNet ? NETWORK_BUILTINS : []),
  ];
  const network = has('network')
    ? 'granted'
    : features.allowNet
      ? 'denied by the permission model'
      : 'denied in the process (no --allow-net on this Node)';
  return {
    execArgv,
    env: has('env') ? { ...process.env } : {},
    cwd: fsWrite.length > 0 ? input.dataDir : input.root,
    enforced,
    report: {
      flag,
      fsRead,
      fsWrite,
      childProcess,
      worker,
      addons,
      wasi,
      network,
      env: has('env') ? 'inherited' : 'empty',
      memoryMb: input.memoryMb,
    },
  };
}
