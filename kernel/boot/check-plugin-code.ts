import { assertCapabilities } from '../capabilities/check-capabilities.js';
import { ModuError } from '../errors/modu-error.js';
import type { ModuleGate } from '../loader/module-gate/module-gate.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import { scanPlugin } from '../scanner/scan-plugin.js';
import type { ScanReport } from '../scanner/scan-types.js';

/**
 * A syntax error in plugin code is a syntax error, not a capability to grant: reported with its file, line and column
 * under the goal Node will use for the file.
 */
function assertParses(pkg: PluginPackage, report: ScanReport): void {
  const errors = report.findings.filter((finding) => finding.rule === 'parse-error');
  if (errors.length === 0) return;
  const lines = errors.map((f) => `${f.file}:${f.line}:${f.column} ${f.message}`);
  throw new ModuError(
    'MODU_SCAN_SYNTAX_ERROR',
    `Plugin "${pkg.manifest.name}" has code that does not parse:\n${lines.join('\n')}`,
    {
      details: {
        plugin: pkg.manifest.name,
        errors: errors.map(({ file, line, column, message }) => ({ file, line, column, message })),
      },
    },
  );
}

/**
 * Scans a plugin's code (the folder as discovery listed it; cached by content hash in the scan cache `cacheDir`,
 * across restarts), checks that it parses, that it asks for every capability its code uses and that the host grants
 * everything it asks for, and then approves the files the scan read at the module gate, when given one: only those
 * load, with the content the scan read. Returns the scan, whose content hash names the code's version.
 *
 * @throws ModuError `MODU_SCAN_SYNTAX_ERROR` with each file:line:column, `MODU_PERMISSION_DENIED` with each
 *   capability and file:line, `MODU_PERMISSION_UNKNOWN`
 */
export async function checkPluginCode(
  pkg: PluginPackage,
  granted: readonly string[],
  cacheDir: string,
  gate?: Pick<ModuleGate, 'approve'>,
): Promise<ScanReport> {
  const report = await scanPlugin(pkg.root, pkg.listing ? { cacheDir, listing: pkg.listing } : { cacheDir });
  assertParses(pkg, report);
  assertCapabilities({
    plugin: pkg.manifest.name,
    manifestFile: pkg.manifestFile,
    requested: pkg.manifest.permissions ?? [],
    granted,
    report,
  });
  await gate?.approve(pkg.root, report);
  return report;
}
