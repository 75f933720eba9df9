import { goalOf, outerPackageType, type PackageType, packageTypeOf } from './package-scope.js';
import type { PluginScan } from './plugin-scan.js';
import { type Listed, readEntry, sha256, type ToRead } from './scan-listing.js';
import type { ApprovedFile, ApprovedGoal, ScanFinding } from './scan-types.js';

/** The `type` of every package.json the plugin holds, by folder ('' for the root). */
export function packageTypes(listed: Listed, contents: ReadonlyMap<number, string | Buffer>): Map<string, PackageType> {
  const types = new Map<string, PackageType>();
  listed.toRead.forEach((entry, i) => {
    if (entry.path !== 'package.json' && !entry.path.endsWith('/package.json')) return;
    const dir = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
    types.set(dir, packageTypeOf(String(contents.get(i) ?? '')));
  });
  return types;
}

/** Reads the files named, a few at a time, into a map by index; all of them when `which` is undefined. */
export async function readAll(
  listed: Listed,
  which?: (entry: ToRead) => boolean,
): Promise<Map<number, string | Buffer>> {
  const contents = new Map<number, string | Buffer>();
  const wanted = listed.toRead.map((entry, i) => [entry, i] as const).filter(([entry]) => which?.(entry) ?? true);
  for (let at = 0; at < wanted.length; at += 16) {
    const batch = wanted.slice(at, at + 16);
    const read = await Promise.all(batch.map(([entry]) => readEntry(listed, entry)));
    for (const [j, [, i]] of batch.entries()) contents.set(i, read[j] ?? '');
  }
  return contents;
}

/** The sha256 of every file, reading those not in `contents` one at a time and dropping them. */
export async function hashAll(listed: Listed, contents: ReadonlyMap<number, string | Buffer>): Promise<string[]> {
  const shas: string[] = [];
  for (const [i, entry] of listed.toRead.entries()) {
    shas.push(sha256(contents.get(i) ?? (await readEntry(listed, entry))));
  }
  return shas;
}

export interface ScanRun {
  readonly shas: string[];
  readonly goals: ApprovedGoal[];
  readonly findings: ScanFinding[];
}

/**
 * Scans the code files in order, each read (unless in `contents`), hashed, scanned and dropped in turn: the text of
 * a few files at most is held at once, whatever the plugin's size. The sha256 and goal of each file are those of the
 * very text scanned.
 */
export async function scanFiles(
  listed: Listed,
  contents: Map<number, string | Buffer>,
  types: ReadonlyMap<string, PackageType>,
  scan: PluginScan,
): Promise<ScanRun> {
  const outerType = await outerPackageType(listed.root);
  const shas: string[] = [];
  const requested: Array<ApprovedGoal | 'detect'> = [];
  const codeAt: number[] = [];
  for (const [i, entry] of listed.toRead.entries()) {
    const content = contents.get(i) ?? (await readEntry(listed, entry));
    contents.delete(i);
    shas.push(sha256(content));
    if (entry.role !== 'code') {
      requested.push(entry.role);
      continue;
    }
    const goal = goalOf(entry.path, types, outerType);
    requested.push(goal === 'module' || goal === 'script' ? goal : 'detect');
    codeAt.push(i);
    await scan.add(entry.path, String(content), goal);
  }
  const outcome = await scan.finish();
  // A file that parsed under no goal cannot run; it is approved as a script, the goal Node tries first.
  const goals = requested.map((goal) => (goal === 'detect' ? 'script' : goal));
  codeAt.forEach((i, k) => {
    const parsed = outcome.goals[k];
    if (parsed !== undefined) goals[i] = parsed;
  });
  return { shas, goals, findings: outcome.findings };
}

export function approvedFiles(listed: Listed, run: ScanRun): Record<string, ApprovedFile> {
  const approved: Record<string, ApprovedFile> = {};
  listed.toRead.forEach((entry, i) => {
    approved[entry.path] = { sha256: run.shas[i] as string, goal: run.goals[i] as ApprovedGoal };
  });
  return approved;
}
