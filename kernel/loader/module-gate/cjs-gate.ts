import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { isAbsolute } from 'node:path';
import { ModuError } from '../../errors/modu-error.js';
import { ReflectApply, StringPrototypeCharCodeAt, StringPrototypeSlice } from '../../primordials.js';
import { approvedGoal, fileDenial } from './file-approval.js';
import { builtinDenial, escapeDenial, type GatePolicy, policyFor } from './gate-policy.js';

/** The internals of the CommonJS loader the gate wraps; not in @types/node. */
export interface CjsLoader {
  _load(request: string, parent: CjsModule | undefined, isMain: boolean): unknown;
  _resolveFilename(request: string, parent: CjsModule | undefined, isMain: boolean, options?: unknown): string;
  _nodeModulePaths(from: string): string[];
  _cache: Record<string, CjsModule | undefined>;
  _pathCache: Record<string, string>;
  _extensions: Record<string, (module: CjsModule, filename: string) => void>;
  prototype: { _compile(this: CjsModule, content: string, filename: string, format?: string): unknown };
  new (id: string): CjsModule;
}

/** A CommonJS module record. */
export interface CjsModule {
  filename: string | null | undefined;
  paths: string[];
  children: CjsModule[];
  exports: unknown;
}

/** The CommonJS loader itself (`node:module`'s default export). */
export const cjsLoader = Module as unknown as CjsLoader;

function denied(message: string, policy: GatePolicy, request: string): ModuError {
  return new ModuError('MODU_PERMISSION_DENIED', message, { details: { plugin: policy.name, specifier: request } });
}

function requireEsmDenial(filename: string, policy: GatePolicy): string {
  return `plugin "${policy.name}" may not require() the ES module ${filename}: its imports would load unchecked by the module gate. Use import() instead`;
}

function fileDenied(message: string, policy: GatePolicy, file: string): ModuError {
  return new ModuError('MODU_PERMISSION_DENIED', message, { details: { plugin: policy.name, file } });
}

/**
 * Only scanned bytes run, on the CommonJS side: every file of an admitted plugin that the CommonJS loader compiles
 * (whatever its extension: `require('./notes.txt')` compiles it as JavaScript), parses as JSON or opens as an addon
 * must be one its scan read, with the content it read, and a script or module is compiled under the very goal it was
 * scanned under (see fileDenial). The check sees the text that is then compiled or parsed, so nothing can change
 * between the two; an addon is hashed, then opened by Node (native code is full trust anyway).
 */
function installContentGate(loader: CjsLoader, policies: ReadonlyMap<string, GatePolicy>): void {
  const compile = loader.prototype._compile;
  loader.prototype._compile = function gatedCompile(content, filename, format) {
    const policy = typeof filename === 'string' ? policyFor(filename, policies) : undefined;
    if (policy === undefined) return ReflectApply(compile, this, [content, filename, format]);
    const goal = approvedGoal(filename, policy) === 'module' ? 'module' : 'script';
    const denial = fileDenial(filename, goal, content, policy);
    if (denial !== undefined) throw fileDenied(denial, policy, filename);
    // require() of an ES module loads its imports synchronously, past the asynchronous load hook that checks them.
    if (goal === 'module') throw fileDenied(requireEsmDenial(filename, policy), policy, filename);
    return ReflectApply(compile, this, [content, filename, 'commonjs']);
  };
  const json = loader._extensions['.json'];
  loader._extensions['.json'] = function gatedJson(module, filename) {
    const policy = policyFor(filename, policies);
    if (policy === undefined || json === undefined) return json?.(module, filename);
    const content = readFileSync(filename, 'utf8');
    const denial = fileDenial(filename, 'json', content, policy);
    if (denial !== undefined) throw fileDenied(denial, policy, filename);
    try {
      module.exports = JSON.parse(
        StringPrototypeCharCodeAt(content, 0) === 0xfeff ? StringPrototypeSlice(content, 1) : content,
      );
    } catch (error) {
      if (error instanceof Error) error.message = `${filename}: ${error.message}`;
      throw error;
    }
  };
  const addon = loader._extensions['.node'];
  loader._extensions['.node'] = function gatedAddon(module, filename) {
    const policy = policyFor(filename, policies);
    const denial = policy === undefined ? undefined : fileDenial(filename, 'binary', readFileSync(filename), policy);
    if (policy !== undefined && denial !== undefined) throw fileDenied(denial, policy, filename);
    return addon?.(module, filename);
  };
}

/**
 * Wraps `Module._load` and `Module._resolveFilename` once, so that a `require` (static, computed, or through
 * `createRequire` inside the plugin folder) from a file inside an admitted root gets the same rules as an ESM
 * import, and only the files its scan approved compile (see installContentGate): ungranted dangerous built-ins and files or packages outside the folder are denied with
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
    return ReflectApply(originalLoad, this, [request, parent, isMain]);
  };
  loader._resolveFilename = function gatedResolve(this: unknown, request, parent, isMain, options) {
    const policy = gated(parent);
    if (policy === undefined) return ReflectApply(originalResolve, this, [request, parent, isMain, options]);
    if (request === 'modu') return pluginModuPath;
    const filename = ReflectApply(originalResolve, this, [request, parent, isMain, options]) as string;
    // Built-ins resolve to their names, and the load step above has judged them.
    const escaped = isAbsolute(filename) ? escapeDenial(request, filename, policy) : undefined;
    if (escaped !== undefined) throw denied(escaped, policy, request);
    return filename;
  };
  installContentGate(loader, policies);
}
