import { compileCacheDir } from './compile-cache.js';
import { runtimeFeatures } from './runtime-features.js';

/** What the boot report says about the running Node: its version and what the kernel uses of it. */
export interface RuntimeReport {
  readonly node: string;
  /** How the module gate hooks imports: in-thread `registerHooks`, or `register` (Node's hooks thread). */
  readonly moduleHooks: 'registerHooks' | 'register';
  /** The flag that turns on Node's permission model, or null. */
  readonly permissionFlag: string | null;
  /** Whether Node's permission model can allow network access (`--allow-net`). */
  readonly allowNet: boolean;
  /** The compile cache folder in use (Node's folder for its version, inside the one asked for), or null. */
  readonly compileCache: string | null;
}

/** The runtime part of the boot report, as the running Node gives it now. */
export function runtimeReport(): RuntimeReport {
  const features = runtimeFeatures();
  return {
    node: features.node,
    moduleHooks: features.registerHooks ? 'registerHooks' : 'register',
    permissionFlag: features.permissionFlag ?? null,
    allowNet: features.allowNet,
    compileCache: compileCacheDir() ?? null,
  };
}
