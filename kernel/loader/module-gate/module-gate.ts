import { realpathSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MessageChannel } from 'node:worker_threads';
import { normaliseCapability } from '../../capabilities/capability-catalogue.js';
import { ModuError } from '../../errors/modu-error.js';
import { cjsLoader, installCjsGate } from './cjs-gate.js';
import { isCommonJsEntry } from './entry-format.js';
import { evictCjs } from './evict-cjs.js';
import type { GateHooksData, GateMessage } from './gate-hooks.js';
import { DENIED_CODE, type GatePolicy, GENERATION_PARAM, policyFor } from './gate-policy.js';
import { pluginApi } from './plugin-api.js';
import { providePluginApi } from './plugin-api-slot.js';

/**
 * The one place where plugin code is imported. It applies each plugin's capability grants to every module the
 * plugin loads at run time (ESM through a resolve hook on Node's hooks thread, CommonJS through the require
 * loader), maps `modu` to the host's plugin API (plugin-modu.js), and gives each reload its own module generation.
 *
 * This is NOT a sandbox. Plugin code runs in the host process with the host's rights; the gate only stops the
 * module-loading paths. `process.binding`, `process.dlopen`, `process.getBuiltinModule`, `module.constructor`,
 * `eval` and the like reach the same power without loading a module: the scanner rejects them statically before
 * any code runs, and a value the host itself hands a plugin (a logger holding `fs`, say) is beyond both. Wrapping
 * `process.getBuiltinModule` to inspect its caller would need stack inspection, which plugin code can forge
 * (`Error.prepareStackTrace`) — unsound, so it is left to the scanner. Treat untrusted plugins as untrusted code:
 * run them in a separate process or container with OS-level limits.
 */
export interface ModuleGate {
  /** Registers a plugin's policy before its code runs; resolves once the ESM hooks thread acknowledged it. */
  admit(plugin: { name: string; root: string; granted: readonly string[] }): Promise<void>;
  /**
   * Imports the plugin's entry module as generation `generation` and returns the module namespace (for CommonJS,
   * `{ default: module.exports }`). ES modules of a new generation are evaluated afresh and the old ones stay in
   * Node's module map (ESM cannot be unloaded); a CommonJS entry (`.cjs`, or `"type": "commonjs"`) is required, so
   * once {@link ModuleGate.release} evicted it nothing of an old generation is kept.
   * @throws ModuError `MODU_PERMISSION_DENIED` when the plugin's code loads what it was not granted,
   *   `MODU_LOADER_NOT_ADMITTED` when the entry lies in no admitted root; other import errors unchanged.
   */
  importEntry(entry: string, generation: string | number): Promise<Record<string, unknown>>;
  /**
   * Forgets the plugin's grants and evicts exactly its CommonJS modules (every require.cache entry under root,
   * and the links from parents' `children`). The folder stays gated with no grants, so code of an unloaded
   * generation that still runs (a timer it left behind) cannot load more than a plugin with no grants.
   */
  release(root: string): Promise<void>;
}

/**
 * The ModuError for a denial raised by the gate, whichever side raised it (the hooks thread sends plain errors
 * with the code), or undefined for any other error. Use it on errors from plugin code that imports at run time.
 */
export function gateDenial(error: unknown): ModuError | undefined {
  if (ModuError.is(error)) return error.code === DENIED_CODE ? error : undefined;
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== DENIED_CODE) return undefined;
  return new ModuError(DENIED_CODE, error.message, { cause: error });
}

/**
 * The absolute path with every symbolic link resolved (or as given when it does not exist): Node's loaders
 * name modules by their real paths, so a folder reached through a link must be gated under its real path.
 * Synchronous, as in Node's own module resolution: one system call, where the promise version costs a
 * thread-pool round trip per plugin.
 */
export function realPath(path: string): string {
  const absolute = resolvePath(path);
  try {
    return realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}

function samePolicy(a: GatePolicy, b: GatePolicy): boolean {
  return a.name === b.name && a.root === b.root && a.granted.join('\n') === b.granted.join('\n');
}

class PortGate implements ModuleGate {
  private readonly policies = new Map<string, GatePolicy>();
  /** What the hooks thread was sent for each root, and when it acknowledged it. */
  private readonly sent = new Map<string, { policy: GatePolicy; acknowledged: Promise<void> }>();
  /** Policies waiting for this tick's message, and its acknowledgement. */
  private batch: { policies: GatePolicy[]; acknowledged: Promise<void> } | undefined;
  private readonly pending = new Map<number, () => void>();
  private readonly port;
  private nextId = 0;
  /** Roots whose code went through require(): only these have CommonJS modules to evict. */
  private readonly cjsRoots = new Set<string>();
  /** Roots released in this turn of the event loop, evicted together by one sweep of the require cache. */
  private eviction: { roots: Set<string>; done: Promise<void> } | undefined;
  /** The real path of each admitted root, by its absolute path as admitted: one system call per admission. */
  private readonly realRoots = new Map<string, string>();
  /**
   * The namespace of each ES module entry imported, by URL (real path and generation). Node keeps an ES module for
   * good and hands every import of its URL the same namespace; taken from here, it costs no round trip to the hooks
   * thread (a reload of unchanged code, another kernel in the same process).
   */
  private readonly namespaces = new Map<string, Record<string, unknown>>();
  /** Where `modu` resolves for plugin code (plugin-modu.js). */
  private readonly pluginModuURL = new URL('./plugin-modu.js', import.meta.url);
  /**
   * `modu` loaded in full, once, before any plugin code runs. ES module plugins import it and CommonJS ones require
   * it, and Node refuses to require an ES module while an import is still loading it (until that import's whole
   * module graph is in).
   */
  private pluginModu: Promise<unknown> | undefined;

  constructor() {
    providePluginApi(pluginApi);
    const { pluginModuURL } = this;
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.on('message', (id: number) => {
      this.pending.get(id)?.();
      this.pending.delete(id);
      if (this.pending.size === 0) port1.unref();
    });
    port1.unref();
    const data: GateHooksData = { port: port2, pluginModuURL: pluginModuURL.href, gateURL: import.meta.url };
    register(new URL('./gate-hooks.js', import.meta.url), { data, transferList: [port2] });
    installCjsGate(this.policies, fileURLToPath(pluginModuURL), (policy) => this.cjsRoots.add(policy.root));
  }

  /**
   * Hands `policy` to the hooks thread and resolves once it is in force there. A policy it already has costs
   * nothing, and the policies sent in one tick (a boot admits every plugin at once) travel as one message.
   */
  private send(policy: GatePolicy): Promise<void> {
    this.policies.set(policy.root, policy);
    const known = this.sent.get(policy.root);
    if (known !== undefined && samePolicy(known.policy, policy)) return known.acknowledged;
    if (this.batch === undefined) {
      const policies: GatePolicy[] = [];
      const acknowledged = new Promise<void>((resolveAck) => {
        queueMicrotask(() => {
          const id = this.nextId++;
          this.pending.set(id, resolveAck);
          this.batch = undefined;
          // Keep the process alive while an acknowledgement is due, and never otherwise.
          this.port.ref();
          this.port.postMessage({ id, policies } satisfies GateMessage);
        });
      });
      this.batch = { policies, acknowledged };
    }
    this.batch.policies.push(policy);
    this.sent.set(policy.root, { policy, acknowledged: this.batch.acknowledged });
    return this.batch.acknowledged;
  }

  async admit(plugin: { name: string; root: string; granted: readonly string[] }): Promise<void> {
    const root = realPath(plugin.root);
    this.realRoots.set(resolvePath(plugin.root), root);
    const granted = plugin.granted.map(normaliseCapability).filter((capability) => capability !== undefined);
    await this.send({ name: plugin.name, root, granted });
  }

  /**
   * The path of `entry` under the real path of the admitted root that holds it, else its real path. A link inside
   * the folder is not followed here (the scan rejects links anyway): an ES module entry that is one loads under its
   * own path, gated as the plugin's code, and a CommonJS entry is required by its real path (see importEntry).
   */
  private realEntry(entry: string): string {
    const absolute = resolvePath(entry);
    for (let dir = dirname(absolute); dir !== dirname(dir); dir = dirname(dir)) {
      const real = this.realRoots.get(dir);
      if (real !== undefined) return `${real}${absolute.slice(dir.length)}`;
    }
    return realPath(absolute);
  }

  async importEntry(entry: string, generation: string | number): Promise<Record<string, unknown>> {
    const path = this.realEntry(entry);
    const policy = this.admittedPolicy(path);
    const url = pathToFileURL(path);
    url.searchParams.set(GENERATION_PARAM, String(generation));
    // Imported before as an ES module: the same code, so the same format. (The kernel's generations hash the path and
    // size of every file of the plugin and the text of every script, so editing a package.json's `type` makes one.)
    const imported = this.namespaces.get(url.href);
    if (imported !== undefined) return imported;
    this.pluginModu ??= import(this.pluginModuURL.href);
    await this.pluginModu;
    try {
      // CommonJS through require(): import() would pin every generation's module.exports in Node's
      // ESM loader, beyond what release() can evict. A fresh require per call leaves no parent behind.
      if (await isCommonJsEntry(path, policy.root)) {
        // require() names a module by its real path, and the CommonJS gate finds its policy by that name.
        const real = realPath(path);
        this.cjsRoots.add(this.admittedPolicy(real).root);
        return { default: createRequire(import.meta.url)(real) as unknown };
      }
      const namespace = (await import(url.href)) as Record<string, unknown>;
      this.namespaces.set(url.href, namespace);
      return namespace;
    } catch (error) {
      throw gateDenial(error) ?? error;
    }
  }

  /** The policy of the admitted folder holding `path`. @throws ModuError `MODU_LOADER_NOT_ADMITTED` */
  private admittedPolicy(path: string): GatePolicy {
    const policy = policyFor(path, this.policies);
    if (policy !== undefined) return policy;
    throw new ModuError(
      'MODU_LOADER_NOT_ADMITTED',
      `${path} lies in no admitted plugin folder; admit the plugin first`,
      {
        details: { entry: path },
      },
    );
  }

  async release(root: string): Promise<void> {
    const absolute = this.realRoots.get(resolvePath(root)) ?? realPath(root);
    const policy = this.policies.get(absolute);
    if (policy !== undefined) await this.send({ ...policy, granted: [] });
    // ES-only plugins have nothing in the require cache to evict.
    if (this.cjsRoots.delete(absolute)) await this.evict(absolute);
  }

  /**
   * Evicts the CommonJS modules of `root` together with those of every other root released in the same turn of the
   * event loop: one sweep of the require cache each, not one per plugin, which made a stop of many CommonJS plugins
   * quadratic (1,000 plugins: about 3 s).
   */
  private evict(root: string): Promise<void> {
    if (this.eviction === undefined) {
      const roots = new Set<string>();
      const done = new Promise<void>((resolveDone, rejectDone) => {
        setImmediate(() => {
          this.eviction = undefined;
          try {
            evictCjs(cjsLoader, roots);
            resolveDone();
          } catch (error) {
            rejectDone(error);
          }
        });
      });
      this.eviction = { roots, done };
    }
    this.eviction.roots.add(root);
    return this.eviction.done;
  }
}

let gate: ModuleGate | undefined;

/**
 * The process-wide module gate; the first call registers the ESM hooks and wraps the CommonJS loader, once.
 *
 * @example
 * const gate = moduleGate();
 * await gate.admit({ name: 'users', root: '/srv/plugins/users', granted: ['node:fs'] });
 * const namespace = await gate.importEntry('/srv/plugins/users/index.js', 1);
 */
export function moduleGate(): ModuleGate {
  gate ??= new PortGate();
  return gate;
}
