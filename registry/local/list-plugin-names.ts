import { checkPluginName } from '../store/check-name.js';
import type { RegistryStorage } from '../store/registry-storage.js';

function isName(name: string): boolean {
  try {
    checkPluginName(name);
    return true;
  } catch {
    return false;
  }
}

/** Every plugin folder name in the registry (scoped ones as `@scope/name`), sorted. */
export async function listPluginNames(storage: RegistryStorage): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await storage.list('plugins')) {
    if (entry.startsWith('@')) {
      for (const inner of await storage.list(`plugins/${entry}`)) names.push(`${entry}/${inner}`);
    } else names.push(entry);
  }
  return names.filter(isName).sort();
}
