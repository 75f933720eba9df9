import { ModuError } from '../errors/modu-error.js';
import type { ScanFinding, ScanReport } from '../scanner/scan-types.js';
import { isImplicitCapability, normaliseCapability } from './capability-catalogue.js';

/** One reason a plugin's capabilities do not fit its manifest and its grants. */
export interface CapabilityProblem {
  /**
   * `not-requested`: the code uses a capability the manifest does not ask for; `not-granted`: the manifest asks
   * for one the host does not grant; `forbidden`: a finding no grant can allow (TypeScript source, a link, a
   * computed getBuiltinModule…); `unknown`: a manifest permission that names no capability.
   */
  readonly kind: 'not-requested' | 'not-granted' | 'forbidden' | 'unknown';
  /** The capability (or, for `unknown`, the permission string as written; for `forbidden`, the rule). */
  readonly capability: string;
  /** Where the code needs it. */
  readonly findings: readonly ScanFinding[];
  readonly message: string;
}

/** What {@link checkCapabilities} compares. */
export interface CapabilityCheck {
  readonly plugin: string;
  readonly manifestFile: string;
  /** The manifest's `permissions`. */
  readonly requested: readonly string[];
  /** What the host config grants this plugin (`plugins.<name>.grants` in modu.yaml). */
  readonly granted: readonly string[];
  readonly report: ScanReport;
}

function where(findings: readonly ScanFinding[]): string {
  const shown = findings.slice(0, 3).map((f) => `${f.file}:${f.line}:${f.column}`);
  return findings.length > 3 ? `${shown.join(', ')} and ${findings.length - 3} more` : shown.join(', ');
}

function unknownProblem(permission: string): CapabilityProblem {
  const guess = normaliseCapability(`node:${permission}`);
  const fix = guess === undefined ? 'use a capability from the catalogue' : `did you mean '${guess}'?`;
  return {
    kind: 'unknown',
    capability: permission,
    findings: [],
    message: `permission '${permission}' names no capability: ${fix}`,
  };
}

function groupUses(report: ScanReport): { uses: Map<string, ScanFinding[]>; forbidden: Map<string, ScanFinding[]> } {
  const uses = new Map<string, ScanFinding[]>();
  const forbidden = new Map<string, ScanFinding[]>();
  for (const finding of report.findings) {
    if (finding.severity !== 'error') continue;
    const key = finding.capability ?? finding.rule;
    const into = finding.capability === undefined ? forbidden : uses;
    if (finding.capability !== undefined && isImplicitCapability(key)) continue;
    into.set(key, [...(into.get(key) ?? []), finding]);
  }
  return { uses, forbidden };
}

/**
 * Compares what a plugin's code needs (its scan), what its manifest asks for and what the host grants, and lists
 * every problem at once. Harmless built-ins are granted implicitly. An empty list means the plugin may load.
 *
 * @example
 * checkCapabilities({ plugin: 'users', manifestFile, requested: ['node:fs'], granted: [], report })
 * // [{ kind: 'not-granted', capability: 'node:fs', … }]
 */
export function checkCapabilities(check: CapabilityCheck): CapabilityProblem[] {
  const problems: CapabilityProblem[] = [];
  const requested = new Set<string>();
  for (const permission of check.requested) {
    const capability = normaliseCapability(permission);
    if (capability === undefined) problems.push(unknownProblem(permission));
    else requested.add(capability);
  }
  const granted = new Set(check.granted.map((g) => normaliseCapability(g)).filter((g) => g !== undefined));
  const { uses, forbidden } = groupUses(check.report);
  for (const [rule, findings] of forbidden) {
    problems.push({
      kind: 'forbidden',
      capability: rule,
      findings,
      message: `${findings[0]?.message ?? rule} at ${where(findings)}: no grant allows it`,
    });
  }
  for (const [capability, findings] of uses) {
    if (requested.has(capability)) continue;
    const message = `uses ${capability} at ${where(findings)} but does not ask for it in ${check.manifestFile} permissions`;
    problems.push({ kind: 'not-requested', capability, findings, message });
  }
  for (const capability of [...requested].sort()) {
    if (granted.has(capability) || isImplicitCapability(capability)) continue;
    const used = uses.get(capability) ?? [];
    const at = used.length > 0 ? ` (used at ${where(used)})` : '';
    const message = `asks for ${capability}${at} but the host does not grant it (plugins.${check.plugin}.grants in modu.yaml)`;
    problems.push({ kind: 'not-granted', capability, findings: used, message });
  }
  return problems;
}

/**
 * Throws unless {@link checkCapabilities} finds nothing.
 *
 * @throws ModuError `MODU_PERMISSION_UNKNOWN` when the manifest asks for something that is no capability,
 *   `MODU_PERMISSION_DENIED` (403) naming the plugin, each capability and file:line, and the fix.
 */
export function assertCapabilities(check: CapabilityCheck): void {
  const problems = checkCapabilities(check);
  const unknown = problems.filter((p) => p.kind === 'unknown');
  if (unknown.length > 0) {
    throw new ModuError(
      'MODU_PERMISSION_UNKNOWN',
      `${check.manifestFile} /permissions of plugin "${check.plugin}":\n${unknown.map((p) => p.message).join('\n')}`,
      { details: { plugin: check.plugin, file: check.manifestFile, pointer: '/permissions', problems: unknown } },
    );
  }
  if (problems.length === 0) return;
  throw new ModuError(
    'MODU_PERMISSION_DENIED',
    `plugin "${check.plugin}" is denied:\n${problems.map((p) => p.message).join('\n')}`,
    {
      details: { plugin: check.plugin, file: check.manifestFile, problems },
      hint: `Add each capability the code uses to \`permissions\` in ${check.manifestFile}, grant it in modu.yaml under \`plugins.${check.plugin}.grants\`, or remove the code that needs it.`,
    },
  );
}
