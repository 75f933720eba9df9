import { checkCapabilities, readManifest, scanPlugin } from '../kernel/index.js';
import type { ScanResult } from './render/render-scan-result.js';

/**
 * Reads a plugin folder's manifest, scans its code and checks the capabilities it needs against its
 * manifest `permissions` and `grants` (by default: everything the manifest asks for). Runs no plugin code.
 *
 * @throws ModuError the manifest codes of `readManifest`
 * @example const { rejected } = await checkPlugin('plugins/users');
 */
export async function checkPlugin(root: string, grants?: readonly string[]): Promise<ScanResult> {
  const pkg = await readManifest(root);
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
