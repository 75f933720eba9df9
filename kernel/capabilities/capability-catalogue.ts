import { builtinModules } from 'node:module';
import {
  ArrayPrototypeIncludes,
  ArrayPrototypeSlice,
  ownValue,
  RegExpPrototypeExec,
  SafeSet,
  StringPrototypeIndexOf,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from '../primordials.js';

/**
 * Capabilities that are not a built-in module: `network` (http:/https: imports, outbound sockets reached
 * without a built-in import), `env` (`process.env`), `dynamic-code` (eval, `new Function`, computed imports and
 * requires, WebAssembly, anything that hides what code runs) and `native` (native addons, `process.binding`,
 * `process.dlopen`).
 */
export const SPECIAL_CAPABILITIES = ['network', 'env', 'dynamic-code', 'native'] as const;

/**
 * Built-ins that stay inside the process: pure computation, data structures, in-process events and timers.
 * Everything else is dangerous (deny by default), so a built-in added by a future Node is denied until it is
 * reviewed and listed here.
 *
 * - `crypto`: hashing, ciphers and randomness are computation; it reads no file and opens no socket.
 * - `process`: the same object as the global `process`; its dangerous members (`env`, `binding`, `dlopen`,
 *   `getBuiltinModule`, `mainModule`, `kill`) are scanner rules with their own capabilities.
 * - `async_hooks`, `diagnostics_channel`, `perf_hooks`: they observe this process only (a plugin can watch
 *   other plugins' async work with them: in-process code is not isolated anyway, see the module gate).
 * - `stream`, `readline`, `tty`, `console`, `zlib`, `timers`: operate on streams and values they are given.
 *
 * Dangerous, with the reason: `fs` (files), `child_process`/`cluster` (processes), `net`/`dgram`/`dns`/`http`/
 * `https`/`http2`/`tls` (network), `worker_threads` (threads running any code), `vm`/`repl`/`inspector`/`v8`/
 * `trace_events`/`wasi` (code evaluation, heap and debugger access, flags, files), `module` (module internals,
 * `createRequire`), `os` (host identity, `setPriority` on other processes), `test` (spawns processes),
 * `sqlite` (files), `ffi` (Node 26: calls native code).
 *
 * Some grants amount to full trust, because what they reach is beyond the module gate: `node:module`
 * (`Module._load` with no parent), `node:vm`, `node:worker_threads` (workers load modules without the gate),
 * `node:inspector`, `node:child_process` (another process) and `native`. Grant them only to trusted plugins.
 */
const HARMLESS = new SafeSet([
  'assert',
  'async_hooks',
  'buffer',
  'console',
  'constants',
  'crypto',
  'diagnostics_channel',
  'domain',
  'events',
  'path',
  'perf_hooks',
  'process',
  'punycode',
  'querystring',
  'readline',
  'sea',
  'stream',
  'string_decoder',
  'timers',
  'tty',
  'url',
  'util',
  'zlib',
]);

/** Legacy names of another built-in. */
const ALIASES: Readonly<Record<string, string>> = { sys: 'util' };
const INTERNAL = /^_(http|tls|stream)_/;

/**
 * Built-ins reachable only with the `node:` prefix. Node 24 and later also list theirs in `builtinModules` with the
 * prefix (Node 26: `node:ffi`), which {@link builtinName} reads too.
 */
const NODE_ONLY = new SafeSet(['test', 'sea', 'sqlite']);

// Captured now: a plugin could push to or replace Node's exported list later.
const BUILTINS: readonly string[] = ArrayPrototypeSlice(builtinModules);

/**
 * The built-in a specifier names, normalised: `node:` dropped, subpaths and internal `_http_*`/`_tls_*`/`_stream_*`
 * names folded into their module (`fs/promises` → `fs`, `_tls_wrap` → `tls`); undefined for a non-built-in.
 *
 * @example builtinName('node:fs/promises') // 'fs'
 */
export function builtinName(specifier: string): string | undefined {
  const prefixed = StringPrototypeStartsWith(specifier, 'node:');
  const bare = prefixed ? StringPrototypeSlice(specifier, 5) : specifier;
  const slash = StringPrototypeIndexOf(bare, '/');
  const head = slash < 0 ? bare : StringPrototypeSlice(bare, 0, slash);
  const known =
    ArrayPrototypeIncludes(BUILTINS, bare) ||
    (prefixed && (NODE_ONLY.has(head) || ArrayPrototypeIncludes(BUILTINS, `node:${head}`)));
  if (!known) return undefined;
  const internal = RegExpPrototypeExec(INTERNAL, head)?.[1];
  return internal ?? ownValue<string>(ALIASES, head) ?? head;
}

/** The capability a built-in specifier needs (`node:<module>`), or undefined for a non-built-in. */
export function builtinCapability(specifier: string): string | undefined {
  const name = builtinName(specifier);
  return name === undefined ? undefined : `node:${name}`;
}

/** True when a built-in (any spelling) stays inside the process and needs no grant. */
export function isHarmlessBuiltin(specifier: string): boolean {
  const name = builtinName(specifier);
  return name !== undefined && HARMLESS.has(name);
}

/** Every capability a manifest may ask for, sorted: `node:<builtin>` for each built-in plus the special ones. */
export function capabilityCatalogue(): readonly string[] {
  const names = new Set<string>(SPECIAL_CAPABILITIES);
  for (const specifier of [...BUILTINS, ...[...NODE_ONLY].map((n) => `node:${n}`)]) {
    const capability = builtinCapability(specifier);
    if (capability !== undefined) names.add(capability);
  }
  return [...names].sort();
}

/**
 * The catalogue spelling of a permission string (`node:fs/promises` → `node:fs`), or undefined when it names
 * no capability (`fs` without `node:`, `users:read`, a typo).
 */
export function normaliseCapability(permission: string): string | undefined {
  if (ArrayPrototypeIncludes(SPECIAL_CAPABILITIES as readonly string[], permission)) return permission;
  if (!StringPrototypeStartsWith(permission, 'node:')) return undefined;
  return builtinCapability(permission);
}

/** True when a capability is granted implicitly (a harmless built-in). */
export function isImplicitCapability(capability: string): boolean {
  return StringPrototypeStartsWith(capability, 'node:') && isHarmlessBuiltin(capability);
}
