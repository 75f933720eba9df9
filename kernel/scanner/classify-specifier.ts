import { posix } from 'node:path';
import { builtinCapability, isHarmlessBuiltin } from '../capabilities/capability-catalogue.js';
import type { ScanRule } from './scan-rules.js';

/** What an import or require of a literal specifier needs. */
export interface SpecifierVerdict {
  readonly rule: ScanRule;
  readonly capability?: string;
  readonly message: string;
}

/** True for `modu`: the host's plugin API, always allowed. */
export function isHostSpecifier(specifier: string): boolean {
  return specifier === 'modu';
}

/**
 * Classifies a literal import/require specifier seen in `file` (plugin-relative, forward slashes):
 * undefined when it needs nothing (relative files inside the plugin, harmless built-ins, `modu`).
 */
export function classifySpecifier(specifier: string, file: string, how: string): SpecifierVerdict | undefined {
  if (isHostSpecifier(specifier)) return undefined;
  const capability = builtinCapability(specifier);
  if (capability !== undefined) {
    if (isHarmlessBuiltin(specifier)) return undefined;
    return { rule: 'import-builtin', capability, message: `${how} '${specifier}', which needs ${capability}` };
  }
  if (/^data:/i.test(specifier)) {
    return { rule: 'import-url', capability: 'dynamic-code', message: `${how} a data: URL runs code from a string` };
  }
  if (/^https?:/i.test(specifier)) {
    return { rule: 'import-url', capability: 'network', message: `${how} '${specifier}' loads code from the network` };
  }
  if (specifier.startsWith('.')) {
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    if (target === '..' || target.startsWith('../')) {
      return { rule: 'import-escapes-root', message: `${how} '${specifier}' leaves the plugin folder` };
    }
    return undefined;
  }
  if (specifier.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(specifier) || /^[A-Za-z]:[\\/]/.test(specifier)) {
    return { rule: 'import-escapes-root', message: `${how} the absolute location '${specifier}'` };
  }
  return {
    rule: 'import-package',
    message: `${how} the package '${specifier}': scanned and gated with the plugin only when bundled in its node_modules`,
  };
}
