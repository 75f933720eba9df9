import { createRequire, syncBuiltinESMExports } from 'node:module';
import { ModuError } from '../../errors/modu-error.js';

const builtin = createRequire(import.meta.url);

const RESOLVER_METHODS = [
  'resolve',
  'resolve4',
  'resolve6',
  'resolveAny',
  'resolveCaa',
  'resolveCname',
  'resolveMx',
  'resolveNaptr',
  'resolveNs',
  'resolvePtr',
  'resolveSoa',
  'resolveSrv',
  'resolveTlsa',
  'resolveTxt',
  'reverse',
];
const DNS_FUNCTIONS = ['lookup', 'lookupService', 'setServers', ...RESOLVER_METHODS];

/**
 * Prototype methods that any instance reaches the network through, however it was obtained (`process.stdout` is a
 * `net.Socket`): by built-in, class and whether the methods are on its base class.
 */
const PROTOTYPES: ReadonlyArray<readonly [string, string, 'own' | 'base', readonly string[]]> = [
  ['net', 'Socket', 'own', ['connect']],
  ['net', 'Server', 'own', ['listen', '_listen2']],
  ['dgram', 'Socket', 'own', ['bind', 'connect', 'send', 'sendto']],
  ['http', 'Agent', 'own', ['createConnection']],
  ['dns', 'Resolver', 'own', RESOLVER_METHODS],
  ['dns', 'Resolver', 'base', ['setServers', 'setLocalAddress']],
  ['dns/promises', 'Resolver', 'own', RESOLVER_METHODS],
  ['dns/promises', 'Resolver', 'base', ['setServers', 'setLocalAddress']],
];

/**
 * Functions of the built-ins' exports that connect, listen, send or look names up; `async` ones reject. tls, https
 * and http2 are not loaded for this (it would add tens of milliseconds to every plugin process's start): every one
 * of their connections goes through `net.Socket#connect` and every server listens through `net.Server#listen`.
 */
const EXPORTS: ReadonlyArray<readonly [string, readonly string[], 'sync' | 'async']> = [
  ['net', ['connect', 'createConnection', '_createServerHandle'], 'sync'],
  ['http', ['request', 'get'], 'sync'],
  ['dgram', ['createSocket', '_createSocketHandle', 'Socket'], 'sync'],
  ['dns', ['Resolver', ...DNS_FUNCTIONS], 'sync'],
  ['dns/promises', ['Resolver'], 'sync'],
  ['dns/promises', DNS_FUNCTIONS, 'async'],
];

function prototypeOf(id: string, name: string, which: 'own' | 'base'): object | undefined {
  const prototype = (builtin(id) as Record<string, { prototype: object } | undefined>)[name]?.prototype;
  return prototype === undefined || which === 'own' ? prototype : (Object.getPrototypeOf(prototype) as object);
}

const refusals = new WeakSet<object>();

function denial(plugin: string, api: string): ModuError {
  return new ModuError(
    'MODU_PERMISSION_DENIED',
    `Plugin "${plugin}" may not use the network (${api}): it is not granted. Ask for network in its plugin.yaml permissions and grant it in modu.yaml under plugins.${plugin}.grants.`,
    { details: { plugin, api } },
  );
}

/** Makes `target[name]`, when a function, one that refuses (throws, or rejects when `async`), for good. */
function refuse(target: object, name: string, plugin: string, api: string, kind: 'sync' | 'async'): void {
  const current = (target as Record<string, unknown>)[name];
  // dns and dns/promises share their resolvers' base class: its methods are replaced once.
  if (typeof current !== 'function' || refusals.has(current)) return;
  // Functions, not arrows: `new Resolver()` and `new Worker()` get the denial too, not a TypeError.
  const refused =
    kind === 'async'
      ? function refusedAsync() {
          return Promise.reject(denial(plugin, api));
        }
      : function refused() {
          throw denial(plugin, api);
        };
  refusals.add(refused);
  // Writable: a built-in loaded later (https) sets its own method over an inherited one; the original is gone anyway.
  Object.defineProperty(target, name, { value: refused, writable: true, configurable: false, enumerable: true });
}

/**
 * Takes the network away from the plugin's process when `network` is not granted and the running Node has no
 * `--allow-net` to deny it: every function through which code connects, listens, sends or resolves names is replaced,
 * in the built-ins' shared exports, their prototypes and the ES module bindings alike, by one that throws (or rejects
 * with) `MODU_PERMISSION_DENIED`, and the originals are dropped: net (tls, https and http2 connect and listen through
 * it), dgram, dns, http, `fetch`, `WebSocket` and `EventSource`. So whatever route plugin code takes to a built-in
 * (an import, `require`, `Module._load`, `process.getBuiltinModule`, the class of an existing socket), it finds no way
 * out; `process.binding` is refused by the permission model. Unless `node:worker_threads` is granted, `Worker` is
 * refused too: a worker thread would load the built-ins afresh. Runs before any plugin code.
 */
export function denyNetwork(plugin: string, granted: readonly string[]): void {
  // Prototypes first: the exports step then replaces some of their classes.
  for (const [id, name, which, methods] of PROTOTYPES) {
    const prototype = prototypeOf(id, name, which);
    if (prototype === undefined) continue;
    const kind = id === 'dns/promises' ? 'async' : 'sync';
    for (const method of methods) refuse(prototype, method, plugin, `${id} ${name}#${method}`, kind);
  }
  for (const [id, names, kind] of EXPORTS) {
    const exports = builtin(id) as object;
    for (const name of names) refuse(exports, name, plugin, `${id}.${name}`, kind);
  }
  refuse(globalThis, 'fetch', plugin, 'fetch', 'async');
  for (const name of ['WebSocket', 'EventSource']) refuse(globalThis, name, plugin, name, 'sync');
  if (!granted.includes('node:worker_threads')) {
    refuse(builtin('worker_threads') as object, 'Worker', plugin, 'worker_threads.Worker', 'sync');
  }
  syncBuiltinESMExports();
}
