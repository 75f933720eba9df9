/**
 * Every rule the scanner reports, by stable id. A rule with a `capability` rejects a plugin unless the
 * capability is asked for and granted (built-in rules name their `node:<module>` per finding); a rule without
 * one rejects it whatever the grants (`always`), or only warns.
 */
export const SCAN_RULES = {
  'import-builtin': { severity: 'error', summary: 'imports or requires a built-in that reaches outside the process' },
  'get-builtin-module': { severity: 'error', summary: 'process.getBuiltinModule() of a dangerous built-in' },
  'import-package': { severity: 'warning', summary: 'imports a package; its code runs with the plugin' },
  'import-url': { severity: 'error', summary: 'imports a data: or http(s): URL' },
  'import-escapes-root': { severity: 'error', summary: 'imports a file outside the plugin folder' },
  'computed-import': { severity: 'error', capability: 'dynamic-code', summary: 'import() of a computed name' },
  'computed-require': { severity: 'error', capability: 'dynamic-code', summary: 'require() of a computed name' },
  'computed-builtin': { severity: 'error', summary: 'process.getBuiltinModule() of a computed name' },
  'require-alias': { severity: 'error', capability: 'dynamic-code', summary: 'require used as a value' },
  'require-main': { severity: 'error', capability: 'node:module', summary: 'reaches other modules' },
  'module-internals': { severity: 'error', capability: 'node:module', summary: 'touches module loader internals' },
  'module-constructor': { severity: 'error', capability: 'node:module', summary: 'module.constructor' },
  'create-require': { severity: 'error', capability: 'node:module', summary: 'createRequire()' },
  eval: { severity: 'error', capability: 'dynamic-code', summary: 'eval' },
  'function-constructor': { severity: 'error', capability: 'dynamic-code', summary: 'the Function constructor' },
  'escaped-reference': { severity: 'error', capability: 'dynamic-code', summary: 'a sensitive global as a value' },
  'computed-member': {
    severity: 'error',
    capability: 'dynamic-code',
    summary: 'a member read by a key not provably harmless: it may reach the Function constructor',
  },
  'metadata-read': {
    severity: 'error',
    capability: 'dynamic-code',
    summary: 'reads decorator metadata where a file stored the Function constructor through tsc __metadata',
  },
  'design-metadata': {
    severity: 'warning',
    summary: "passes the Function constructor to tsc's __metadata helper: decorator metadata must not be read back",
  },
  'computed-global-access': { severity: 'error', capability: 'dynamic-code', summary: 'computed global access' },
  'caller-access': { severity: 'error', capability: 'dynamic-code', summary: 'arguments.callee or .caller' },
  'sloppy-this': {
    severity: 'error',
    capability: 'dynamic-code',
    summary: "`this` of a sloppy-mode function escapes: it may be the global object (add 'use strict')",
  },
  'with-statement': { severity: 'error', capability: 'dynamic-code', summary: 'a with statement' },
  webassembly: { severity: 'error', capability: 'dynamic-code', summary: 'compiles or instantiates WebAssembly' },
  'process-env': { severity: 'error', capability: 'env', summary: 'reads process.env' },
  'process-binding': { severity: 'error', capability: 'native', summary: 'process.binding' },
  'process-dlopen': { severity: 'error', capability: 'native', summary: 'process.dlopen' },
  'process-kill': { severity: 'error', capability: 'node:child_process', summary: 'signals other processes' },
  'process-report': { severity: 'error', capability: 'node:fs', summary: 'writes diagnostic reports to files' },
  'process-ipc': { severity: 'error', capability: 'node:child_process', summary: 'talks to the parent process' },
  'network-global': { severity: 'error', capability: 'network', summary: 'fetch, WebSocket or EventSource' },
  'process-internals': { severity: 'error', capability: 'native', summary: 'process internals (`process._*`)' },
  'intrinsic-mutation': {
    severity: 'error',
    summary: 'changes a built-in prototype, constructor, namespace or the global object, which the host shares',
  },
  'intrinsic-escape': {
    severity: 'error',
    capability: 'dynamic-code',
    summary: 'hands a shared built-in (a prototype, constructor, namespace, built-in module) where it may be changed',
  },
  'process-control': { severity: 'warning', summary: 'changes or ends the host process' },
  'native-addon': { severity: 'error', capability: 'native', summary: 'a native addon (.node file)' },
  'unicode-escape': { severity: 'error', summary: 'an identifier written with Unicode escapes' },
  'typescript-source': { severity: 'error', summary: 'TypeScript source' },
  'parse-error': { severity: 'error', summary: 'a file that does not parse' },
  'too-complex': { severity: 'error', summary: 'nesting too deep to analyse' },
  'scan-timeout': { severity: 'error', summary: 'the scan time budget ran out' },
  'file-too-large': { severity: 'error', summary: 'a file over the size limit' },
  'plugin-too-large': { severity: 'error', summary: 'a plugin over the size limit' },
  symlink: { severity: 'error', summary: 'a symbolic link' },
  'special-file': { severity: 'error', summary: 'a socket, FIFO or device file' },
} as const satisfies Record<string, { severity: 'error' | 'warning'; capability?: string; summary: string }>;

/** A stable scanner rule id. */
export type ScanRule = keyof typeof SCAN_RULES;

/** The capability a rule needs by default (built-in rules carry theirs per finding). */
export function ruleCapability(rule: ScanRule): string | undefined {
  const spec: { severity: string; capability?: string } = SCAN_RULES[rule];
  return spec.capability;
}
