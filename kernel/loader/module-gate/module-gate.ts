import { realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { normaliseCapability } from '../../capabilities/capability-catalogue.js';
import { ModuError } from '../../errors/modu-error.js';
import { runtimeFeatures } from '../../runtime-features.js';
import type { ScanReport } from '../../scanner/scan-types.js';
import { cjsLoader, installCjsGate } from './cjs-gate.js';
import { entryFormat } from './entry-format.js';
import { evictCjs } from './evict-cjs.js';
import { DENIED_CODE, type GateEntry, type GatePolicy, GENERATION_PARAM, policyFor } from './gate-policy.js';
import { pluginApi } from './plugin-api.js';
import { providePluginApi } from './plugin-api-slot.js';
import { registerPortHooks } from './port-hooks.js';
import { registerThreadHooks } from './thread-hooks.js';

/**
 * The one place where plugin code is imported. It applies each plugin's capability grants to every module the
 * plugin loads at run time (ESM through a resolve hook: in-thread with `module.registerHooks` where Node has it,
 * else on Node's hooks thread; CommonJS through the require loader), maps `modu` to the host's plugin API (plugin-modu.js), and gives each reload its own module generation.
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
  /** Registers a plugin's policy before its code runs; resolves once the ESM hooks have it in force. */
  admit(plugin: { name: string; root: string; granted: readonly string[] }): Promise<void>;
  /**
   * Approves the files a passed scan of the plugin at `root` read (its report's `approved` and `contentHash`): from
   * then on those files, with that content, are the only ones of the folder that load, whether before or after its
   * admission; each approval replaces the last. Resolves once the ESM hooks have it in force.
   */
  approve(root: string, scan: Pick<ScanReport, 'approved' | 'contentHash'>): Promise<void>;
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

/** The hooks the running Node offers: in-thread where it has `module.registerHooks`, else on the hooks thread. */
function registerHooks(
  policies: Map<string, GatePolicy>,
  entries: Map<string, GateEntry>,
  pluginModuURL: string,
  gateURL: string,
): (policy: GatePolicy) => Promise<void> {
  if (runtimeFeatures().registerHooks) {
    // The hooks read the gate's own maps: a policy or an entry set there is in force at once.
    registerThreadHooks({ policies, derived: new Map(), entries, pluginModuURL, gateURL });
    return () => Promise.resolve();
  }
  return registerPortHooks(pluginModuURL, gateURL);
}

class HookedGate implements ModuleGate {
  private readonly policies = new Map<string, GatePolicy>();
  /** Every ES module entry imported, by URL, for the in-thread hooks (see GateEntry). */
  private readonly entries = new Map<string, GateEntry>();
  /** Hands a policy to the hooks; resolves once it is in force there. */
  private readonly publish: (policy: GatePolicy) => Promise<void>;
  /** The approved files of each real root, kept apart from its admission: either may come first. */
  private readonly approvals = new Map<string, Pick<GatePolicy, 'files' | 'filesId'>>();
  /** Roots whose code went through require(): only these have CommonJS modules to evict. */
  private readonly cjsRoots = new Set<string>();
  /** Roots released in this turn of the event loop, evicted together by one sweep of the require cache. */
  private eviction: { roots: Set<string>; done: Promise<void> } | undefined;
  /** The real path of each admitted root, by its absolute path as admitted: one system call per admission. */
  private readonly realRoots = new Map<string, string>();
  /** The real path an approval took of a root not admitted yet, by absolute path: its admission takes it over. */
  private readonly approvedRoots = new Map<string, string>();
  /**
   * The namespace of each ES module entry imported, by URL (real path and generation). Node keeps an ES module for
   * good and hands every import of its URL the same namespace; taken from here, it costs no resolve (nor, on the
   * hooks thread, a round trip): a reload of unchanged code, another kernel in the same process.
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
    this.publish = registerHooks(this.policies, this.entries, pluginModuURL.href, import.meta.url);
    installCjsGate(this.policies, fileURLToPath(pluginModuURL), (policy) => this.cjsRoots.add(policy.root));
  }

  private send(policy: GatePolicy): Promise<void> {
    this.policies.set(policy.root, policy);
    return this.publish(policy);
  }

  async admit(plugin: { name: string; root: string; granted: readonly string[] }): Promise<void> {
    const absolute = resolvePath(plugin.root);
    // Taken afresh at each admission, unless its approval, just before, had to take it.
    const root = this.approvedRoots.get(absolute) ?? realPath(absolute);
    this.approvedRoots.delete(absolute);
    this.realRoots.set(absolute, root);
    const granted = plugin.granted.map(normaliseCapability).filter((capability) => capability !== undefined);
    await this.send({ name: plugin.name, root, granted, ...this.approvals.get(root) });
  }

  async approve(root: string, scan: Pick<ScanReport, 'approved' | 'contentHash'>): Promise<void> {
    const absolute = resolvePath(root);
    let real = this.realRoots.get(absolute);
    if (real === undefined) {
      real = realPath(absolute);
      this.approvedRoots.set(absolute, real);
    }
    const approval = { files: scan.approved ?? {}, filesId: scan.contentHash };
    this.approvals.set(real, approval);
    const policy = this.policies.get(real);
    if (policy !== undefined) await this.send({ ...policy, ...approval });
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
      const format = await entryFormat(path, policy.root);
      if (format === 'commonjs') {
        // require() names a module by its real path, and the CommonJS gate finds its policy by that name.
        const real = realPath(path);
        this.cjsRoots.add(this.admittedPolicy(real).root);
        return { default: createRequire(import.meta.url)(real) as unknown };
      }
      this.entries.set(url.href, { root: policy.root, path, generation: String(generation), format });
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
      `${path} lies in no admitted plugin folder; admit the plugin first.`,
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
  gate ??= new HookedGate();
  return gate;
}
