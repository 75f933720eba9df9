import type { RequestContext } from '../authoring/plugin-definition.js';
import type { GuardChain } from '../guards/guard-chain.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import type { MountedPlugin } from './mounted-plugin.js';
import type { RemoteRoute } from './remote-route.js';

/** Upper bounds (seconds) of the latency histogram buckets; the last bucket is +Inf. */
export const LATENCY_BUCKETS: readonly number[] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Plain counters kept on the hot path; the metrics endpoint reads them when scraped. */
export interface RouteStats {
  /** Responses by status code. */
  readonly byStatus: Map<number, number>;
  /** Requests per latency bucket (not cumulative; one more slot than LATENCY_BUCKETS for +Inf). */
  readonly buckets: number[];
  durationSeconds: number;
}

/** Fresh, zeroed route stats. */
export function routeStats(): RouteStats {
  return { byStatus: new Map(), buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0), durationSeconds: 0 };
}

/** Counts one answered request. */
export function recordRequest(stats: RouteStats, status: number, seconds: number): void {
  stats.byStatus.set(status, (stats.byStatus.get(status) ?? 0) + 1);
  stats.durationSeconds += seconds;
  let slot = 0;
  while (slot < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[slot] as number)) slot++;
  stats.buckets[slot] = (stats.buckets[slot] ?? 0) + 1;
}

/** A route ready to dispatch: full path, precompiled guard chain, permissions and bound handler. */
export interface CompiledRoute {
  readonly plugin: MountedPlugin;
  readonly method: string;
  /** Prefix + path, with `:name` parameters. */
  readonly path: string;
  readonly paramNames: readonly string[];
  readonly chain: GuardChain;
  readonly permissions: readonly string[];
  readonly invoke: (ctx: RequestContext) => unknown;
  readonly stats: RouteStats;
  /** This route's breaker: a failing route pauses alone, not its plugin's other routes. */
  readonly breaker: CircuitBreaker;
  /** Set when its handler and every guard run in one isolated plugin's process (see {@link RemoteRoute}). */
  readonly remote: RemoteRoute | undefined;
}

/** A route as listings show it. */
export interface RouteInfo {
  readonly method: string;
  readonly path: string;
  readonly plugin: string;
  /** Guards in run order, dependencies included. */
  readonly guards: readonly string[];
  readonly permissions: readonly string[];
}

/** The listing view of a compiled route. */
export function routeInfo(route: CompiledRoute): RouteInfo {
  return {
    method: route.method,
    path: route.path,
    plugin: route.plugin.name,
    guards: route.chain.map((step) => step.name),
    permissions: route.permissions,
  };
}
