import { ModuError } from '../errors/modu-error.js';
import {
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  MapPrototypeGet,
  SafeMap,
  SafeSet,
} from '../primordials.js';
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
  const shown: string[] = [];
  for (let i = 0; i < findings.length && i < 3; i++) {
    const f = findings[i] as ScanFinding;
    ArrayPrototypePush(shown, `${f.file}:${f.line}:${f.column}`);
  }
  const text = ArrayPrototypeJoin(shown, ', ');
  return findings.length > 3 ? `${text} and ${findings.length - 3} more` : text;
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

type Grouped = SafeMap<string, ScanFinding[]>;

/** The scan's error findings by capability (or, for findings no grant allows, by rule), in first-seen order. */
function groupUses(report: ScanReport): { uses: Grouped; forbidden: Grouped; order: readonly string[] } {
  const uses: Grouped = new SafeMap();
  const forbidden: Grouped = new SafeMap();
  const order: string[] = [];
  const findings = report.findings;
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i] as ScanFinding;
    if (finding.severity !== 'error') continue;
    const key = finding.capability ?? finding.rule;
    const into = finding.capability === undefined ? forbidden : uses;
    if (finding.capability !== undefined && isImplicitCapability(key)) continue;
    const list = into.get(key);
    if (list !== undefined) ArrayPrototypePush(list, finding);
    else {
      into.set(key, [finding]);
      ArrayPrototypePush(order, key);
    }
  }
  return { uses, forbidden, order };
}

function sortedStrings(set: SafeSet<string>): string[] {
  const list: string[] = [];
  set.forEach((value) => void ArrayPrototypePush(list, value));
  // Insertion sort on captured operations: a replaced Array.prototype.sort cannot reorder or drop capabilities.
  for (let i = 1; i < list.length; i++) {
    const value = list[i] as string;
    let j = i - 1;
    while (j >= 0 && (list[j] as string) > value) {
      list[j + 1] = list[j] as string;
      j--;
    }
    list[j + 1] = value;
  }
  return list;
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
  const requested = new SafeSet<string>();
  for (let i = 0; i < check.requested.length; i++) {
    const permission = check.requested[i] as string;
    const capability = normaliseCapability(permission);
    if (capability === undefined) ArrayPrototypePush(problems, unknownProblem(permission));
    else requested.add(capability);
  }
  const granted = new SafeSet<string>();
  for (let i = 0; i < check.granted.length; i++) {
    const capability = normaliseCapability(check.granted[i] as string);
    if (capability !== undefined) granted.add(capability);
  }
  const { uses, forbidden, order } = groupUses(check.report);
  for (let i = 0; i < order.length; i++) {
    const key = order[i] as string;
    const findings = MapPrototypeGet(forbidden, key);
    if (findings === undefined) continue;
    const message = `${findings[0]?.message ?? key} at ${where(findings)}: no grant allows it`;
    ArrayPrototypePush(problems, { kind: 'forbidden', capability: key, findings, message });
  }
  for (let i = 0; i < order.length; i++) {
    const capability = order[i] as string;
    const findings = MapPrototypeGet(uses, capability);
    if (findings === undefined || requested.has(capability)) continue;
    const message = `uses ${capability} at ${where(findings)} but does not ask for it in ${check.manifestFile} permissions`;
    ArrayPrototypePush(problems, { kind: 'not-requested', capability, findings, message });
  }
  const asked = sortedStrings(requested);
  for (let i = 0; i < asked.length; i++) {
    const capability = asked[i] as string;
    if (granted.has(capability) || isImplicitCapability(capability)) continue;
    const used = ArrayPrototypeSlice(MapPrototypeGet(uses, capability) ?? []);
    const at = used.length > 0 ? ` (used at ${where(used)})` : '';
    const message = `asks for ${capability}${at} but the host does not grant it (plugins.${check.plugin}.grants in modu.yaml)`;
    ArrayPrototypePush(problems, { kind: 'not-granted', capability, findings: used, message });
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
    `Plugin "${check.plugin}" is denied:\n${problems.map((p) => p.message).join('\n')}`,
    {
      details: { plugin: check.plugin, file: check.manifestFile, problems },
      hint: `Add each capability the code uses to \`permissions\` in ${check.manifestFile}, grant it in modu.yaml under \`plugins.${check.plugin}.grants\`, or remove the code that needs it.`,
    },
  );
}
