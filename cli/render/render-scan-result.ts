import type { CapabilityProblem, ScanReport } from '../../kernel/index.js';

/** What `modu scan` reports about one plugin. */
export interface ScanResult {
  readonly plugin: string;
  readonly version: string;
  readonly requested: readonly string[];
  readonly granted: readonly string[];
  readonly report: ScanReport;
  readonly problems: readonly CapabilityProblem[];
  readonly rejected: boolean;
}

function capabilityLine(capability: string, result: ScanResult): string {
  const asked = result.requested.includes(capability) ? 'asked' : 'NOT ASKED';
  const granted = result.granted.includes(capability) ? 'granted' : 'NOT GRANTED';
  return `  ${capability.padEnd(22)} ${asked.padEnd(10)} ${granted}`;
}

/** The text form of a scan: findings as `file:line:col rule message`, capabilities, problems, verdict. */
export function renderScanResult(result: ScanResult): string {
  const { report } = result;
  const lines = [`${result.plugin}@${result.version}: ${report.files} files, ${report.bytes} bytes scanned`];
  lines.push(report.findings.length === 0 ? 'findings: none' : 'findings:');
  for (const f of report.findings) {
    const needs = f.capability === undefined ? '' : ` [${f.capability}]`;
    const allowed = f.capability !== undefined && !result.problems.some((p) => p.capability === f.capability);
    lines.push(`  ${f.file}:${f.line}:${f.column} ${allowed ? 'allowed' : f.severity} ${f.rule}${needs}: ${f.message}`);
  }
  lines.push(report.capabilities.length === 0 ? 'capabilities needed: none' : 'capabilities needed:');
  for (const capability of report.capabilities) lines.push(capabilityLine(capability, result));
  if (result.problems.length > 0) {
    lines.push('problems:');
    for (const problem of result.problems) lines.push(`  ${problem.kind}: ${problem.message}`);
  }
  lines.push(result.rejected ? `rejected: ${result.problems.length} problem(s)` : 'accepted');
  return `${lines.join('\n')}\n`;
}
