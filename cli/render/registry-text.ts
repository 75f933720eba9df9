import type { InstallResult, PackedPlugin, PluginSummary, VersionRecord } from '../../registry/index.js';
import type { CliIO } from '../cli-io.js';

/** `users@1.4.0  User accounts` lines, or a note when there is nothing. */
export function summariesText(summaries: readonly PluginSummary[]): string {
  if (summaries.length === 0) return 'no plugins found\n';
  const width = Math.max(...summaries.map((s) => `${s.name}@${s.latest ?? '-'}`.length));
  const lines = summaries.map((s) =>
    `${`${s.name}@${s.latest ?? '-'}`.padEnd(width)}  ${s.description ?? ''}`.trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/** One published version. */
export function publishedText(record: VersionRecord): string {
  const signed = record.signature === undefined ? 'unsigned' : `signed by key ${record.signature.keyId}`;
  return `published ${record.name}@${record.version} (${record.size} B, ${record.files} files, ${signed}, scan ${record.scan.status})\nintegrity ${record.integrity}\n`;
}

/** A packed archive. */
export function packedText(packed: PackedPlugin & { readonly file: string }): string {
  return `packed ${packed.file} (${packed.bytes.length} B, ${packed.files.length} files)\nintegrity ${packed.integrity}\n`;
}

/** What an install put in place. */
export function installedText(result: InstallResult): string {
  const lines = result.installed.map((p) => `installed ${p.name}@${p.version}`);
  return `${[...lines, `wrote ${result.lockFile}`].join('\n')}\n`;
}

/** Progress on a terminal only: piped output stays clean. */
export function progress(io: CliIO): (message: string) => void {
  return (message) => {
    if (io.stderr.isTTY === true) io.stderr.write(`… ${message}\n`);
  };
}
