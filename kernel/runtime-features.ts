import module from 'node:module';

/**
 * What the running Node supports, detected once, in one place: the permission model and its flags, the in-thread
 * module hooks and the compile cache. Everything that depends on the Node version asks here, never parses
 * `process.version`.
 */
export interface RuntimeFeatures {
  /** `process.versions.node`, for reports. */
  readonly nodeVersion: string;
  /** The flag that turns the permission model on (`--permission` on 22.13+/23.5+), or undefined without one. */
  readonly permissionFlag: '--permission' | '--experimental-permission' | undefined;
  /** `--allow-child-process` exists. */
  readonly allowChildProcess: boolean;
  /** `--allow-worker` exists. */
  readonly allowWorker: boolean;
  /** `--allow-addons` exists. */
  readonly allowAddons: boolean;
  /** `--allow-wasi` exists. */
  readonly allowWasi: boolean;
  /** `--allow-net` exists (25+): without it the permission model cannot deny network access. */
  readonly allowNet: boolean;
  /** `module.registerHooks` (22.15+): module hooks on the loading thread, no hooks worker needed. */
  readonly inThreadModuleHooks: boolean;
  /** `module.enableCompileCache` (22.1+). */
  readonly compileCache: boolean;
  /** `--disable-warning=<type>` (20.11+). */
  readonly disableWarning: boolean;
}

function detect(): RuntimeFeatures {
  const flags = process.allowedNodeEnvironmentFlags;
  const permissionFlag = flags.has('--permission')
    ? '--permission'
    : flags.has('--experimental-permission')
      ? '--experimental-permission'
      : undefined;
  const api = module as unknown as Record<string, unknown>;
  return {
    nodeVersion: process.versions.node,
    permissionFlag,
    allowChildProcess: flags.has('--allow-child-process'),
    allowWorker: flags.has('--allow-worker'),
    allowAddons: flags.has('--allow-addons'),
    allowWasi: flags.has('--allow-wasi'),
    allowNet: flags.has('--allow-net'),
    inThreadModuleHooks: typeof api.registerHooks === 'function',
    compileCache: typeof api.enableCompileCache === 'function',
    disableWarning: flags.has('--disable-warning'),
  };
}

/**
 * The features of the running Node, detected at first import.
 *
 * @example if (runtimeFeatures.allowNet) execArgv.push('--allow-net');
 */
export const runtimeFeatures: RuntimeFeatures = Object.freeze(detect());
