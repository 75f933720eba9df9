import { builtinName } from '../../capabilities/capability-catalogue.js';
import { ModuError } from '../../errors/modu-error.js';
import { builtinDenial } from '../../loader/module-gate/gate-policy.js';

/**
 * Makes `process.getBuiltinModule` apply the plugin's grants to the built-ins the permission model does not govern
 * (network, `vm`, `inspector`, …: `enforced` lists those it does, such as `fs` and `child_process`, which stay
 * reachable so that the permission model itself refuses each operation). The module gate covers imports and
 * requires; this covers the lookup that needs neither.
 */
export function gateBuiltinLookup(plugin: string, granted: readonly string[], enforced: readonly string[]): void {
  const original = process.getBuiltinModule as ((id: string) => unknown) | undefined;
  if (typeof original !== 'function') return;
  const policy = { name: plugin, root: '', granted };
  const lookup = (id: string): unknown => {
    const name = builtinName(String(id));
    const denial = name === undefined || enforced.includes(name) ? undefined : builtinDenial(String(id), policy);
    if (denial !== undefined)
      throw new ModuError('MODU_PERMISSION_DENIED', denial, { details: { plugin, specifier: id } });
    return original.call(process, id);
  };
  Object.defineProperty(process, 'getBuiltinModule', { value: lookup, writable: false, configurable: false });
}
