import type { Kernel } from '../../kernel/index.js';
import type { ApplyChanges } from '../../registry/index.js';

function isLoaded(kernel: Kernel, name: string): boolean {
  return kernel.snapshot().some((p) => p.name === name && p.state === 'started');
}

/**
 * Applies a channel's changed plugins to a running kernel: removed ones unloaded, changed ones
 * reloaded, new ones loaded; resolves to the failures (plugin, phase, message), or undefined when every
 * added and changed plugin started.
 */
export function applyToKernel(kernel: Kernel): ApplyChanges {
  return async (changes) => {
    for (const name of changes.removed) if (isLoaded(kernel, name)) await kernel.unload(name);
    for (const name of changes.changed) {
      if (isLoaded(kernel, name)) await kernel.reload(name);
      else await kernel.load(name);
    }
    for (const name of changes.added) await kernel.load(name);
    const wanted = new Set([...changes.added, ...changes.changed]);
    const failures = kernel
      .snapshot()
      .filter((p) => wanted.has(p.name) && p.state !== 'started')
      .map(
        (p) =>
          `${p.name}: ${p.failure === undefined ? p.state : `${p.failure.phase} failed: ${p.failure.error.message}`}`,
      );
    const missing = [...wanted].filter((name) => !kernel.snapshot().some((p) => p.name === name));
    failures.push(...missing.map((name) => `${name}: not found in the plugins folder`));
    return failures.length === 0 ? undefined : failures.join('; ');
  };
}
