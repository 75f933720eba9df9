import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix, resolve } from 'node:path';
import { extract, list, ReadEntry } from 'tar';
import { checkCapabilities, MANIFEST_FILE, ModuError, readManifest, scanPlugin } from '../../kernel/index.js';
import { ExitWith } from '../exit-with.js';
import { renderScanResult, type ScanResult } from '../render/render-scan-result.js';
import { writeOutput } from '../render/write-output.js';
import type { AddCommand } from './index.js';

const MAX_ENTRIES = 10_000;
const MAX_BYTES = 256 * 1024 * 1024;

function entryProblem(entry: ReadEntry): string | undefined {
  if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'Directory')
    return `${entry.path} is a ${entry.type}`;
  const path = entry.path.replaceAll('\\', '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `${entry.path} is an absolute path`;
  if (path.split('/').includes('..')) return `${entry.path} leaves the archive root`;
  return undefined;
}

/**
 * Extracts a plugin archive into a fresh temporary folder after checking every entry: only plain files and
 * folders, no absolute or `..` paths, bounded entry count and size; one bad entry rejects the whole archive.
 * TODO(issue 5): replace with the registry's hardened extractor (case collisions, modes, compression ratio).
 */
async function extractArchive(file: string): Promise<string> {
  const problems: string[] = [];
  let entries = 0;
  let bytes = 0;
  await list({
    file,
    onReadEntry: (entry) => {
      entries++;
      bytes += entry.size ?? 0;
      const problem = entryProblem(entry);
      if (problem !== undefined) problems.push(problem);
    },
  });
  if (entries > MAX_ENTRIES || bytes > MAX_BYTES) problems.push(`${entries} entries, ${bytes} bytes: over the limits`);
  if (problems.length > 0) {
    throw new ModuError(
      'MODU_SCAN_ARCHIVE_UNSAFE',
      `${file} is not a safe plugin archive:\n${problems.slice(0, 10).join('\n')}`,
      {
        details: { file, problems },
      },
    );
  }
  const folder = await mkdtemp(join(tmpdir(), 'modu-scan-'));
  // Filtered again while extracting, in case the file changed after the check.
  const safe = (_path: string, entry: unknown) => entry instanceof ReadEntry && entryProblem(entry) === undefined;
  await extract({ file, cwd: folder, strict: true, filter: safe });
  return folder;
}

/** The plugin root inside an extracted archive: the folder itself, or its single top folder (`package/`). */
async function pluginRoot(folder: string): Promise<string> {
  const names = await readdir(folder);
  if (names.includes(MANIFEST_FILE) || names.length !== 1) return folder;
  const only = join(folder, names[0] ?? '');
  return (await stat(only)).isDirectory() ? only : folder;
}

async function scanTarget(target: string, grants: readonly string[] | undefined): Promise<ScanResult> {
  const pkg = await readManifest(target);
  const report = await scanPlugin(pkg.root);
  const requested = pkg.manifest.permissions ?? [];
  const granted = grants ?? requested;
  const problems = checkCapabilities({
    plugin: pkg.manifest.name,
    manifestFile: pkg.manifestFile,
    requested,
    granted,
    report,
  });
  return {
    plugin: pkg.manifest.name,
    version: pkg.manifest.version,
    requested,
    granted,
    report,
    problems,
    rejected: problems.length > 0,
  };
}

/** `modu scan <dir|tgz> [--json] [--grant cap...]`: the scan report; exit 1 when the plugin would be rejected. */
export const addScanCommand: AddCommand = (program, io) => {
  program
    .command('scan')
    .description('scan a plugin folder or .tgz: findings (file:line:col), needed capabilities, manifest permissions')
    .argument('<source>', 'plugin folder or .tgz archive')
    .option('--json', 'print the report as JSON')
    .option('--grant <capability...>', 'capabilities the host grants (default: everything the manifest asks for)')
    .action(async (source: string, options: { json?: boolean; grant?: string[] }) => {
      const path = resolve(io.cwd, source);
      const archive = /\.(tgz|tar\.gz)$/.test(path);
      const folder = archive ? await extractArchive(path) : undefined;
      try {
        const result = await scanTarget(folder === undefined ? path : await pluginRoot(folder), options.grant);
        writeOutput(io, options.json, { source: posix.normalize(source), ...result }, renderScanResult);
        if (result.rejected) throw new ExitWith(1);
      } finally {
        if (folder !== undefined) await rm(folder, { recursive: true, force: true });
      }
    });
};
