import type { PluginRuntime } from '../runtime/plugin-runtime.js';

/** What the lifecycle needs of the HTTP layer: mount a plugin's routes, switch them, drain, remove. */
export interface HttpMount {
  mount(runtime: PluginRuntime): Promise<void>;
  activate(name: string): void;
  deactivate(name: string): void;
  drain(name: string, timeoutMs: number): Promise<void>;
  unmount(name: string): void;
}
