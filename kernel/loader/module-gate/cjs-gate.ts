import Module from 'node:module';
import { isAbsolute } from 'node:path';
import { ModuError } from '../../errors/modu-error.js';
import { builtinDenial, escapeDenial, type GatePolicy, policyFor } from './gate-policy.js';

/** The internals of the CommonJS loader the gate wraps; not in @types/node. */
export interface CjsLoader {
  _load(request: string, parent: CjsModule | undefined, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: CjsModule | undefined, isMain: boolean, options?: unknown): string;
  _nodeModulePaths(from: string): string[];
  _cache: Record<string, CjsModule | undefined>;
  _pathCache: Record<string, string>;
  new (id: string): CjsModule;
}

/** A CommonJS module record. */
export interface CjsModule {
  filename: string | null | undefined;
  paths: string[];
  children: CjsModule[];
}

/** The CommonJS loader itself (`node:module`'s default export). */
export const cjsLoader = Module as unknown as CjsLoader;

function denied(message: string, policy: GatePolicy, request: string): ModuError {
  return new ModuError('MODU_PERMISSION_DENIED', message, { details: { plugin: policy.name, specifier: request } });
}

/**
 * Wraps `Module._load` and `Module._resolveFilename` once, so that a `require` (static, computed, or through
 * `createRequire` inside the plugin folder) from a file inside an admitted root gets the same rules as an ESM
 * import: ungranted dangerous built-ins and files or packages outside the folder are denied with
 * `MODU_PERMISSION_DENIED`, and `modu` resolves to `pluginModuPath`; `onGatedLoad` hears of every require from a
 * plugin. Requires from anywhere else are untouched.
 */
export function installCjsGate(
  policies: ReadonlyMap<string, GatePolicy>,
  pluginModuPath: string,
  onGatedLoad: (policy: GatePolicy) => void,
): void {
  const loader = cjsLoader;
  const originalLoad = loader._load;
  const originalResolve = loader._resolveFilename;
  const gated = (parent: CjsModule | undefined) =>
    typeof parent?.filename === 'string' ? policyFor(parent.filename, policies) : undefined;

  loader._load = function gatedLoad(this: unknown, request, parent, isMain) {
    const policy = gated(parent);
    const denial = policy === undefined ? undefined : builtinDenial(request, policy);
    if (policy !== undefined && denial !== undefined) throw denied(denial, policy, request);
    if (policy !== undefined) onGatedLoad(policy);
    return originalLoad.call(this, request, parent, isMain);
  };
  loader._resolveFilename = function gatedResolve(this: unknown, request, parent, isMain, options) {
    const policy = gated(parent);
    if (policy === undefined) return originalResolve.call(this, request, parent, isMain, options);
    if (request === 'modu') return pluginModuPath;
    const filename = originalResolve.call(this, request, parent, isMain, options);
    // Built-ins resolve to their names, and the load step above has judged them.
    const escaped = isAbsolute(filename) ? escapeDenial(request, filename, policy) : undefined;
    if (escaped !== undefined) throw denied(escaped, policy, request);
    return filename;
  };
}
