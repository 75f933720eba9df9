import type { RequestContext } from '../authoring/plugin-definition.js';
import type { GuardChain } from '../guards/guard-chain.js';
import type { Reply } from './reply.js';

/** What one call running a route's guards, permission check and handler in another process came back with. */
export type RemoteOutcome =
  /** Every guard allowed the request, the principal held the route's permissions there, and the handler answered. */
  | { readonly kind: 'answered'; readonly principal: unknown; readonly reply: Reply }
  /**
   * The guard after the first `passed` ones did not allow the request (its `verdict`, or what it `threw`), or, when
   * all passed, the permission check refused it.
   */
  | {
      readonly kind: 'stopped';
      readonly principal: unknown;
      readonly passed: number;
      readonly verdict?: unknown;
      readonly threw?: unknown;
    }
  /** The call itself failed (the process is down, or did not answer in time): the problem to answer with. */
  | { readonly kind: 'failed'; readonly reply: Reply };

/** Runs a route's guards (named as their plugin knows them), its permission check and its handler in one call. */
export type RemoteRun = (ctx: RequestContext, guards: readonly string[]) => Promise<RemoteOutcome>;

/** A route whose handler and every guard run in one other process: the one call that answers it. */
export interface RemoteRoute {
  readonly run: RemoteRun;
  readonly guards: readonly string[];
}

// Kept by the kernel's own isolation code: a plugin cannot mark its functions, so it cannot skip a host guard.
const handlers = new WeakMap<object, { readonly process: object; readonly run: RemoteRun }>();
const guards = new WeakMap<object, { readonly process: object; readonly name: string }>();

/** Marks `handler` as a stand-in for a route running in `process`, which `run` calls with its guards. */
export function markRemoteHandler(handler: object, process: object, run: RemoteRun): void {
  handlers.set(handler, { process, run });
}

/** Marks `guard` as a stand-in for guard `name` running in `process`. */
export function markRemoteGuard(guard: object, process: object, name: string): void {
  guards.set(guard, { process, name });
}

/**
 * The route's remote form when its handler and every guard of its chain (at least one) run in the same process: one
 * call then answers a request that the host would otherwise send there once per guard and once for the handler.
 */
export function remoteRoute(invoke: unknown, chain: GuardChain): RemoteRoute | undefined {
  const handler = typeof invoke === 'function' ? handlers.get(invoke) : undefined;
  if (handler === undefined || chain.length === 0) return undefined;
  const names: string[] = [];
  for (let i = 0; i < chain.length; i++) {
    const mark = guards.get((chain[i] as GuardChain[number]).guard);
    if (mark === undefined || mark.process !== handler.process) return undefined;
    names[i] = mark.name;
  }
  return { run: handler.run, guards: names };
}
