import nodeModule from 'node:module';
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
  /**
   * The folder of Node's compile cache when the host turned it on (`NODE_COMPILE_CACHE`, or
   * `module.enableCompileCache()`; Node's folder for its version inside the one given), else null. The kernel does
   * not turn it on (see the README's Node versions, and bench/fastify-boot.ts).
   */
  readonly compileCache: string | null;
}

function compileCacheDir(): string | undefined {
  return (nodeModule as unknown as { getCompileCacheDir(): string | undefined }).getCompileCacheDir();
}

/** The runtime part of the boot report, as the running Node gives it now. */
export function runtimeReport(): RuntimeReport {
  const features = runtimeFeatures();
  return {
    node: features.node,
    moduleHooks: features.registerHooks ? 'registerHooks' : 'register',
    permissionFlag: features.permissionFlag ?? null,
    allowNet: features.allowNet,
    compileCache: features.compileCache ? (compileCacheDir() ?? null) : null,
  };
}
