/**
 * How the loader brings a plugin's code in and lets it go again. The module gate (capability
 * enforcement, the host's single `modu`, fresh code on reload) implements it.
 */
export interface CodeLoader {
  /** Registers a plugin's policy before its code runs. */
  admit(plugin: { readonly name: string; readonly root: string; readonly granted: readonly string[] }): Promise<void>;
  /** Imports the entry module (ESM or CommonJS) as `generation`; returns the module namespace. */
  importEntry(entry: string, generation: number): Promise<Record<string, unknown>>;
  /** Forgets the plugin's policy and evicts its CommonJS modules. */
  release(root: string): Promise<void>;
}
