import type { RegistryStorage } from '../store/registry-storage.js';

const lines = (bytes: Buffer | undefined): string[] =>
  (bytes?.toString('utf8') ?? '').split('\n').filter((line) => line !== '');

/**
 * Appends to `target`'s audit log (`key`) every line of `source`'s that the target does not hold yet,
 * in order; resolves to how many it appended. Lines are matched as a multiset, so a rerun appends
 * nothing and lines the target wrote itself (a server already running on it) stay where they are.
 */
export async function copyAuditLog(source: RegistryStorage, target: RegistryStorage, key: string): Promise<number> {
  const there = new Map<string, number>();
  for (const line of lines(await target.read(key))) there.set(line, (there.get(line) ?? 0) + 1);
  let copied = 0;
  for (const line of lines(await source.read(key))) {
    const held = there.get(line) ?? 0;
    if (held > 0) {
      there.set(line, held - 1);
      continue;
    }
    await target.append(key, line);
    copied++;
  }
  return copied;
}
