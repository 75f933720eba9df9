import { checkCapabilities, readManifest, scanPlugin } from '../kernel/index.js';
import type { ScanResult } from './render/render-scan-result.js';

/** Options of {@link checkPlugin}. */
export interface CheckPluginOptions {
  /** What the host grants (default: everything the manifest asks for). */
  readonly grants?: readonly string[] | undefined;
  /** How messages name plugin.yaml, when its path is a temp folder the user never saw. */
  readonly manifestFile?: string;
}

/**
 * Reads a plugin folder's manifest, scans its code and checks the capabilities it needs against its
 * manifest `permissions` and the grants. Runs no plugin code.
 *
 * @throws ModuError the manifest codes of `readManifest`
 * @example const { rejected } = await checkPlugin('plugins/users', { grants: ['node:fs'] });
 */
export async function checkPlugin(root: string, options: CheckPluginOptions = {}): Promise<ScanResult> {
  const { grants, manifestFile } = options;
  const pkg = await readManifest(root);
  const report = await scanPlugin(pkg.root);
  const requested = pkg.manifest.permissions ?? [];
  const granted = grants ?? requested;
  const problems = checkCapabilities({
    plugin: pkg.manifest.name,
    manifestFile: manifestFile ?? pkg.manifestFile,
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
