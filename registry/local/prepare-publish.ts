import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkCapabilities,
  ModuError,
  type PluginManifest,
  readManifest,
  type ScanReport,
} from '../../kernel/index.js';
import type { ArchiveLimits } from '../archive/archive-limits.js';
import { checkPackageJson } from '../archive/check-package-json.js';
import { extractArchive } from '../archive/extract-archive.js';
import { computeIntegrity } from '../archive/integrity.js';
import { type CheckedArchive, readArchive } from '../archive/read-archive.js';
import { type FileSignature, signFiles, verifyFiles } from '../archive/sign-files.js';
import type { PublishOptions } from '../client/registry-client.js';
import { checkPluginName, checkVersion } from '../store/check-name.js';
import type { RegistrySettings, TrustedKey } from '../store/registry-config.js';
import type { VersionRecord } from '../store/version-record.js';

/** Runs the security scan on an extracted plugin folder (the kernel scanner's `scanPlugin`). */
export type ScanFunction = (root: string) => Promise<ScanReport>;

/** What publish checks against: the registry's settings and keys, and the scanner if one is plugged in. */
export interface PublishContext {
  readonly settings: RegistrySettings;
  readonly trustedKeys: readonly TrustedKey[];
  readonly scan: ScanFunction | undefined;
  readonly now: Date;
}

/**
 * Scans the plugin and checks its code against the manifest's own `permissions`: a plugin may use
 * what it asks for (the host decides the grants later), and nothing else.
 */
async function scanFolder(
  root: string,
  manifest: PluginManifest,
  scan: ScanFunction | undefined,
  what: string,
): Promise<VersionRecord['scan']> {
  if (scan === undefined) return { status: 'skipped', reason: 'no scanner configured for this registry' };
  const report = await scan(root);
  const requested = manifest.permissions ?? [];
  const problems = checkCapabilities({
    plugin: manifest.name,
    manifestFile: 'plugin.yaml',
    requested,
    granted: requested,
    report,
  });
  if (problems.length > 0) {
    const lines = problems.map((p) => `${p.kind} ${p.capability}: ${p.message}`);
    throw new ModuError('MODU_REGISTRY_SCAN_FAILED', `${what} fails the security scan:\n${lines.join('\n')}`, {
      details: { problems },
    });
  }
  return {
    status: report.findings.length > 0 ? 'warnings' : 'passed',
    contentHash: report.contentHash,
    findings: report.findings.length,
    capabilities: [...report.capabilities],
  };
}

function signatureOf(
  name: string,
  version: string,
  archive: CheckedArchive,
  options: PublishOptions,
  context: PublishContext,
): FileSignature | undefined {
  const signature =
    options.signingKey === undefined ? options.signature : signFiles(name, version, archive.files, options.signingKey);
  const known = signature !== undefined && context.trustedKeys.some((k) => k.id === signature.keyId);
  if (context.settings.requireSignatures || known)
    verifyFiles(name, version, archive.files, signature, context.trustedKeys);
  return signature;
}

/**
 * Checks an uploaded archive completely (archive safety, package.json, manifest and structure via
 * readManifest on an extracted copy, the scan, the signature) and builds its version record.
 *
 * @throws ModuError archive, manifest, name, scan and signature codes
 */
export async function preparePublish(
  bytes: Uint8Array,
  options: PublishOptions,
  context: PublishContext,
): Promise<VersionRecord> {
  const archive = await readArchive(bytes, 'the uploaded archive', context.settings as ArchiveLimits);
  if (!archive.files.some((f) => f.path === 'plugin.yaml')) {
    throw new ModuError('MODU_REGISTRY_ARCHIVE_INVALID', 'The uploaded archive has no plugin.yaml at its root.', {
      details: { reason: 'no plugin.yaml' },
    });
  }
  checkPackageJson(archive.files, 'the uploaded archive');
  const work = await mkdtemp(join(tmpdir(), 'modu-publish-'));
  try {
    const root = join(work, 'plugin');
    await extractArchive(archive, root);
    const { manifest } = await readManifest(root);
    const name = checkPluginName(manifest.name);
    const version = checkVersion(manifest.version);
    const scan = await scanFolder(root, manifest, context.scan, `${name}@${version}`);
    const signature = signatureOf(name, version, archive, options, context);
    return {
      name,
      version,
      manifest,
      integrity: computeIntegrity(bytes),
      size: bytes.length,
      files: archive.files.length,
      ...(signature === undefined ? {} : { signature }),
      scan,
      publishedAt: context.now.toISOString(),
      ...(options.actor === undefined ? {} : { publisher: options.actor }),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
