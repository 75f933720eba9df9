import { assertCapabilities } from '../capabilities/check-capabilities.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import { scanPlugin } from '../scanner/scan-plugin.js';
import type { ScanReport } from '../scanner/scan-types.js';

/**
 * Scans a plugin's code (the folder as discovery listed it; cached by content hash in the scan cache `cacheDir`,
 * across restarts) and checks that it asks for every capability its code uses and that the host grants everything
 * it asks for; returns the scan, whose content hash names the code's version.
 *
 * @throws ModuError `MODU_PERMISSION_DENIED` with each capability and file:line, `MODU_PERMISSION_UNKNOWN`
 */
export async function checkPluginCode(
  pkg: PluginPackage,
  granted: readonly string[],
  cacheDir: string,
): Promise<ScanReport> {
  const report = await scanPlugin(pkg.root, pkg.listing ? { cacheDir, listing: pkg.listing } : { cacheDir });
  assertCapabilities({
    plugin: pkg.manifest.name,
    manifestFile: pkg.manifestFile,
    requested: pkg.manifest.permissions ?? [],
    granted,
    report,
  });
  return report;
}
