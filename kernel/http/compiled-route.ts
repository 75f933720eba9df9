import type { RequestContext } from '../authoring/plugin-definition.js';
import type { GuardChain } from '../guards/guard-chain.js';
import type { MountedPlugin } from './mounted-plugin.js';

/** Plain counters kept on the hot path; the metrics endpoint reads them when scraped. */
export interface RouteStats {
  /** Responses by status code. */
  readonly byStatus: Map<number, number>;
  durationSeconds: number;
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
