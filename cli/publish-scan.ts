import { MANIFEST_FILE, ModuError, type ScanFinding, type ScanReport } from '../kernel/index.js';
import { checkPlugin } from './check-plugin.js';

/**
 * The security scan `modu registry publish` and `modu registry serve` run on every upload: the kernel scanner,
 * then the capability check against the manifest's own `permissions` (the host decides grants later). A plugin
 * using anything it does not ask for, or anything no grant allows, is refused; error findings it asks for are
 * returned as warnings, since the registry refuses every remaining error finding.
 *
 * @throws ModuError `MODU_REGISTRY_SCAN_FAILED` naming the plugin and each problem with file:line:col
 * @example await openLocalRegistry('.modu/registry', { scan: publishScan });
 */
export async function publishScan(root: string): Promise<ScanReport> {
  const result = await checkPlugin(root, { manifestFile: MANIFEST_FILE });
  if (result.rejected) {
    const lines = result.problems.map((p) => `${p.kind} ${p.capability}: ${p.message}`);
    throw new ModuError(
      'MODU_REGISTRY_SCAN_FAILED',
      `${result.plugin}@${result.version} fails the security scan:\n${lines.join('\n')}`,
      { details: { plugin: result.plugin, version: result.version, problems: result.problems } },
    );
  }
  const findings = result.report.findings.map(
    (f): ScanFinding => (f.severity === 'error' ? { ...f, severity: 'warning' } : f),
  );
  return { ...result.report, findings };
}
