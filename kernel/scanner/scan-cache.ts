import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { readText } from '../files/read-text.js';
import type { ScanReport } from './scan-types.js';

function isReport(value: unknown, contentHash: string): value is ScanReport {
  if (typeof value !== 'object' || value === null) return false;
  const report = value as Record<string, unknown>;
  return (
    report.contentHash === contentHash &&
    typeof report.files === 'number' &&
    typeof report.bytes === 'number' &&
    Array.isArray(report.findings) &&
    Array.isArray(report.capabilities)
  );
}

/** The cached report for a content hash, or undefined when there is none or the file is corrupt. */
export async function readCachedReport(cacheDir: string, contentHash: string): Promise<ScanReport | undefined> {
  try {
    const value: unknown = JSON.parse(await readText(join(cacheDir, `${contentHash}.json`)));
    return isReport(value, contentHash) ? value : undefined;
  } catch {
    // Missing, unreadable or corrupt: the caller scans again and rewrites it.
    return undefined;
  }
}

/** Writes `<cacheDir>/<contentHash>.json` atomically (temp file, fsync, rename), creating the folder. */
export async function writeCachedReport(cacheDir: string, report: ScanReport): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const { fromCache: _ignored, ...stored } = report;
  await writeFileAtomic(join(cacheDir, `${report.contentHash}.json`), `${JSON.stringify(stored)}\n`);
}
