import { ModuError } from '../errors/modu-error.js';
import type { PluginState } from './plugin-snapshot.js';

/**
 * Every state change a plugin may make, and no other. A reload swaps a started plugin's generation without a
 * state change; `load()` takes an unloaded, failed or skipped plugin back to `discovered`.
 */
export const stateTransitions: Readonly<Record<PluginState, readonly PluginState[]>> = {
  discovered: ['loading', 'failed', 'skipped'],
  loading: ['loaded', 'failed', 'skipped'],
  loaded: ['starting', 'unloading'],
  starting: ['started', 'failed'],
  // A started plugin fails only when the process tier gives up restarting its process.
  started: ['stopping', 'failed'],
  stopping: ['stopped'],
  stopped: ['unloading'],
  unloading: ['unloaded'],
  unloaded: ['discovered', 'skipped'],
  failed: ['discovered'],
  skipped: ['discovered'],
};

/**
 * Checks one state change against {@link stateTransitions}.
 *
 * @throws ModuError `MODU_LIFECYCLE_TRANSITION_INVALID` naming the plugin, both states and the allowed ones
 */
export function assertTransition(plugin: string, from: PluginState, to: PluginState): void {
  if (!stateTransitions[from].includes(to)) throw invalidTransition(plugin, from, to);
}

/** The error for a state change the kernel cannot make; `why` says more when the table alone allows it. */
export function invalidTransition(plugin: string, from: PluginState, to: PluginState, why?: string): ModuError {
  const allowed = stateTransitions[from];
  const reason = why ?? `from ${from} it can go to ${allowed.join(', ') || 'nothing'}`;
  return new ModuError('MODU_LIFECYCLE_TRANSITION_INVALID', `${plugin} cannot go from ${from} to ${to}: ${reason}`, {
    details: { plugin, from, to, allowed },
  });
}
