import type { ScanRule } from './scan-rules.js';

/** A global whose uses the scanner follows: reaching one of these is how code escapes a static review. */
export type SensitiveRoot =
  | 'require'
  | 'module'
  | 'process'
  | 'global'
  | 'Function'
  | 'eval'
  | 'WebAssembly'
  | 'network';

/** Identifiers (and `globalThis.<name>` members) that denote a sensitive root. */
export const ROOT_BY_NAME: Readonly<Record<string, SensitiveRoot>> = Object.assign(Object.create(null), {
  require: 'require',
  module: 'module',
  process: 'process',
  Function: 'Function',
  eval: 'eval',
  WebAssembly: 'WebAssembly',
  // `self` and `window` are not globals in Node, and `self` is a common local name: they are not roots.
  globalThis: 'global',
  global: 'global',
  // Globals that reach the network without importing a built-in, so the module gate never sees them.
  fetch: 'network',
  WebSocket: 'network',
  EventSource: 'network',
});

/** What reaching a member of a sensitive root means. */
export interface MemberVerdict {
  readonly rule: ScanRule;
  readonly message: string;
}

/** `then` means the member leads back to the same root (`namespace.default`), `builtin` a getBuiltinModule. */
export type MemberOutcome = MemberVerdict | 'same-root' | 'builtin' | undefined;

const PROCESS_MEMBERS: Readonly<Record<string, MemberVerdict>> = Object.assign(Object.create(null), {
  env: { rule: 'process-env', message: 'reads process.env' },
  binding: { rule: 'process-binding', message: 'process.binding reaches native internals' },
  _linkedBinding: { rule: 'process-binding', message: 'process._linkedBinding reaches native internals' },
  dlopen: { rule: 'process-dlopen', message: 'process.dlopen loads native code' },
  mainModule: { rule: 'require-main', message: 'process.mainModule reaches the host module' },
  kill: { rule: 'process-kill', message: 'process.kill signals other processes' },
  loadEnvFile: { rule: 'process-env', message: 'process.loadEnvFile reads an env file into process.env' },
  report: { rule: 'process-report', message: 'process.report writes diagnostic reports to files' },
  send: { rule: 'process-ipc', message: 'process.send talks to the parent process' },
  channel: { rule: 'process-ipc', message: 'process.channel is the IPC channel to the parent process' },
  disconnect: { rule: 'process-ipc', message: 'process.disconnect closes the IPC channel to the parent process' },
  _kill: { rule: 'process-kill', message: 'process._kill signals other processes' },
});

const PROCESS_CONTROL = new Set(['exit', 'abort', 'reallyExit', 'chdir', 'umask', 'setuid', 'setgid', 'seteuid']);
for (const name of ['setegid', 'setgroups', 'initgroups', 'setUncaughtExceptionCaptureCallback']) {
  PROCESS_CONTROL.add(name);
}

const MODULE_HARMLESS = new Set(['exports', 'id', 'filename', 'loaded', 'path', 'paths', 'hot']);
const WASM_COMPILE = new Set(['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming', 'Module']);

function requireMember(name: string): MemberOutcome {
  if (name === 'main') return { rule: 'require-main', message: 'require.main reaches the host module' };
  if (name === 'cache' || name === 'extensions') {
    return { rule: 'module-internals', message: `require.${name} touches every loaded module` };
  }
  if (name === 'call' || name === 'apply' || name === 'bind') {
    return { rule: 'require-alias', message: `require.${name} hides what is required` };
  }
  return undefined;
}

function moduleMember(name: string): MemberOutcome {
  if (MODULE_HARMLESS.has(name)) return undefined;
  if (name === 'constructor') return { rule: 'module-constructor', message: 'module.constructor is the module loader' };
  if (name === 'parent' || name === 'children') {
    return { rule: 'require-main', message: `module.${name} reaches other modules` };
  }
  if (name === 'require') return { rule: 'require-alias', message: 'module.require hides what is required' };
  return { rule: 'module-internals', message: `module.${name} touches module loader internals` };
}

function processMember(name: string): MemberOutcome {
  if (name === 'getBuiltinModule') return 'builtin';
  if (name === 'default') return 'same-root';
  const verdict = PROCESS_MEMBERS[name];
  if (verdict !== undefined) return verdict;
  if (PROCESS_CONTROL.has(name))
    return { rule: 'process-control', message: `process.${name} changes the host process` };
  // Underscore members are internals: `_getActiveHandles()` hands out the host's sockets and servers.
  if (name.startsWith('_')) return { rule: 'process-internals', message: `process.${name} reaches process internals` };
  return undefined;
}

/** The verdict for reaching `<root>.<name>`; `name` undefined means a computed name the scanner cannot fold. */
export function memberOutcome(root: SensitiveRoot, name: string | undefined): MemberOutcome {
  if (name === undefined) return escapeVerdict(root, `a computed member of ${root}`);
  switch (root) {
    case 'require':
      return requireMember(name);
    case 'module':
      return moduleMember(name);
    case 'process':
      return processMember(name);
    case 'WebAssembly':
      return WASM_COMPILE.has(name) ? { rule: 'webassembly', message: `WebAssembly.${name} compiles code` } : undefined;
    case 'Function':
    case 'eval':
    case 'network':
      return escapeVerdict(root, `${root}.${name}`);
    case 'global':
      return undefined;
  }
}

/** The verdict for a sensitive root used as a value the scanner cannot follow (aliased, passed, spread). */
export function escapeVerdict(root: SensitiveRoot, what: string): MemberVerdict {
  switch (root) {
    case 'require':
      return { rule: 'require-alias', message: `${what}: require used as a value hides what is required` };
    case 'eval':
      return { rule: 'eval', message: `${what}: eval runs code from a string` };
    case 'Function':
      return { rule: 'function-constructor', message: `${what}: the Function constructor runs code from a string` };
    case 'WebAssembly':
      return { rule: 'webassembly', message: `${what}: WebAssembly compiles code` };
    case 'global':
      return { rule: 'computed-global-access', message: `${what}: the global object used as a value` };
    case 'network':
      return { rule: 'network-global', message: `${what}: reaches the network without importing a built-in` };
    default:
      return { rule: 'escaped-reference', message: `${what}: ${root} used as a value the scanner cannot follow` };
  }
}
