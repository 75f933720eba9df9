import type { PluginInfo, RegistryClient, VersionStatus } from '../../registry/index.js';

/** One version as `modu registry info` shows it, like `npm view`. */
export interface VersionDetail extends VersionStatus {
  readonly integrity?: string;
  readonly kernel?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly publishedAt?: string;
  /** `unsigned`, or `signed` with the key id. */
  readonly signature?: { readonly status: 'signed' | 'unsigned'; readonly keyId?: string };
  /** The registry's scan verdict at publish time (`passed`, `warnings`, `skipped`) and its finding count. */
  readonly scan?: { readonly status: string; readonly findings?: number; readonly reason?: string };
}

/** `modu registry info` as data: the plugin, its dist-tags, and each version's detail. */
export interface PluginDetail extends Omit<PluginInfo, 'versions'> {
  readonly versions: readonly VersionDetail[];
}

async function detailOf(registry: RegistryClient, name: string, status: VersionStatus): Promise<VersionDetail> {
  if (status.unpublished) return status;
  const record = await registry.version(name, status.version);
  const { manifest, signature, scan } = record;
  return {
    ...status,
    integrity: record.integrity,
    kernel: manifest.kernel,
    dependencies: { ...manifest.dependencies },
    publishedAt: record.publishedAt,
    signature: signature === undefined ? { status: 'unsigned' } : { status: 'signed', keyId: signature.keyId },
    scan: {
      status: scan.status,
      ...(scan.findings === undefined ? {} : { findings: scan.findings }),
      ...(scan.reason === undefined ? {} : { reason: scan.reason }),
    },
  };
}

/**
 * `name` or `name@version`: the plugin's info with every version's detail, or only that version's.
 *
 * @throws ModuError `MODU_REGISTRY_NOT_FOUND`, `MODU_REGISTRY_VERSION_NOT_FOUND`
 */
export async function pluginDetail(registry: RegistryClient, spec: string): Promise<PluginDetail> {
  const at = spec.lastIndexOf('@');
  const [name, version] = at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, undefined];
  const info = await registry.info(name);
  const wanted = version === undefined ? info.versions : info.versions.filter((v) => v.version === version);
  if (version !== undefined && wanted.length === 0) await registry.version(name, version); // throws the coded error
  return { ...info, versions: await Promise.all(wanted.map((status) => detailOf(registry, name, status))) };
}

function versionLines(v: VersionDetail): string[] {
  const flags = `${v.unpublished ? '  (unpublished)' : ''}${v.deprecated === undefined ? '' : `  (deprecated: ${v.deprecated})`}`;
  if (v.integrity === undefined) return [`  ${v.version}${flags}`];
  const deps = Object.entries(v.dependencies ?? {}).map(([dep, range]) => `${dep}@${range}`);
  const signature = v.signature?.status === 'signed' ? `signed (key ${v.signature.keyId})` : 'unsigned';
  const findings = v.scan?.findings === undefined ? '' : `, ${v.scan.findings} finding(s)`;
  return [
    `  ${v.version}${flags}`,
    `    published   ${v.publishedAt}`,
    `    integrity   ${v.integrity}`,
    `    kernel      ${v.kernel}`,
    `    depends on  ${deps.join(', ') || '-'}`,
    `    signature   ${signature}`,
    `    scan        ${v.scan?.status}${findings}${v.scan?.reason ? ` (${v.scan.reason})` : ''}`,
  ];
}

/** The human form of {@link PluginDetail}. */
export function pluginDetailText(detail: PluginDetail): string {
  const tags = Object.entries(detail.distTags).map(([tag, version]) => `${tag}: ${version}`);
  return [
    `${detail.name}${detail.description === undefined ? '' : ` — ${detail.description}`}`,
    `dist-tags: ${tags.join(', ') || '-'}`,
    'versions:',
    ...detail.versions.flatMap(versionLines),
    '',
  ].join('\n');
}
