/**
 * Node's compile cache (V8 code cache on disk, shared across processes) for the plugin code the kernel imports,
 * where the running Node has it (22.1+). It is process-wide: the first kernel of a process turns it on under its
 * own cacheDir, and a cache the host turned on before (NODE_COMPILE_CACHE, or its own call) is kept.
 */
import nodeModule from 'node:module';
import { join } from 'node:path';
import { runtimeFeatures } from './runtime-features.js';

interface CompileCacheApi {
  enableCompileCache(directory: string): { readonly directory?: string };
  getCompileCacheDir(): string | undefined;
}

/**
 * Turns the compile cache on under `<cacheDir>/compile` unless one is on already; returns the folder in use, or
 * undefined where the running Node has none (or it could not be turned on: Node says why only in its debug log).
 */
export function enableCompileCache(cacheDir: string): string | undefined {
  if (!runtimeFeatures().compileCache) return undefined;
  const api = nodeModule as unknown as CompileCacheApi;
  const current = api.getCompileCacheDir();
  if (current !== undefined) return current;
  return api.enableCompileCache(join(cacheDir, 'compile')).directory;
}

/** The compile cache folder in use in this process, or undefined. */
export function compileCacheDir(): string | undefined {
  if (!runtimeFeatures().compileCache) return undefined;
  return (nodeModule as unknown as CompileCacheApi).getCompileCacheDir();
}
