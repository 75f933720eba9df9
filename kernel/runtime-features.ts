/**
 * What the running Node gives the kernel, detected once, in this one place: every version-dependent choice
 * (which module hooks the gate installs, the permission flags a child process is started with, whether network
 * access can be denied, the compile cache) reads it from here rather than from `process.version`.
 */
import nodeModule from 'node:module';

/** The features of the running Node that the kernel adapts to. */
export interface RuntimeFeatures {
  /** `process.versions.node`, for the boot report. */
  readonly node: string;
  /** `module.registerHooks()`: synchronous resolve/load hooks on the importing thread (Node 22.15+, 23.5+). */
  readonly registerHooks: boolean;
  /** `module.register()`: asynchronous hooks on a separate hooks thread (Node 20.6+; deprecated from Node 26). */
  readonly register: boolean;
  /**
   * The flag that turns on the permission model: `--permission` (Node 22.13+, 23.5+),
   * `--experimental-permission` (Node 20), or undefined when the running Node has neither.
   */
  readonly permissionFlag: '--permission' | '--experimental-permission' | undefined;
  /** `--allow-child-process` exists. */
  readonly allowChildProcess: boolean;
  /** `--allow-worker` exists. */
  readonly allowWorker: boolean;
  /** `--allow-addons` exists. */
  readonly allowAddons: boolean;
  /** `--allow-wasi` exists. */
  readonly allowWasi: boolean;
  /** `--allow-net` exists: under the permission model, network access is denied unless allowed (Node 25+). */
  readonly allowNet: boolean;
  /** `module.enableCompileCache()`, `NODE_COMPILE_CACHE`: V8's code cache kept on disk across processes (22.1+). */
  readonly compileCache: boolean;
  /** `--disable-warning=<type>` (20.11+). */
  readonly disableWarning: boolean;
}

let detected: RuntimeFeatures | undefined;

function detect(): RuntimeFeatures {
  const flags = process.allowedNodeEnvironmentFlags;
  const api = nodeModule as unknown as Record<string, unknown>;
  let permissionFlag: RuntimeFeatures['permissionFlag'];
  if (flags.has('--permission')) permissionFlag = '--permission';
  else if (flags.has('--experimental-permission')) permissionFlag = '--experimental-permission';
  return {
    node: process.versions.node,
    registerHooks: typeof api.registerHooks === 'function',
    register: typeof api.register === 'function',
    permissionFlag,
    allowChildProcess: flags.has('--allow-child-process'),
    allowWorker: flags.has('--allow-worker'),
    allowAddons: flags.has('--allow-addons'),
    allowWasi: flags.has('--allow-wasi'),
    allowNet: flags.has('--allow-net'),
    compileCache: typeof api.enableCompileCache === 'function',
    disableWarning: flags.has('--disable-warning'),
  };
}

/**
 * The features of the running Node, detected on first call (a frozen plain object).
 *
 * @example if (runtimeFeatures().registerHooks) { ... } // in-thread module hooks
 */
export function runtimeFeatures(): RuntimeFeatures {
  detected ??= Object.freeze(detect());
  return detected;
}
