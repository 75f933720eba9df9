import type { HttpMethod, Principal } from '../authoring/plugin-definition.js';
import type { HookName } from '../lifecycle/run-hook.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { ScanReport } from '../scanner/scan-types.js';
import type { WireError } from './wire-error.js';

/** `init`: what the child needs to import and stage the plugin. */
export interface InitRequest {
  readonly pkg: Omit<PluginPackage, 'listing'>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly granted: readonly string[];
  readonly generation: string;
  /** The files the host's scan approved: the only ones the child's module gate lets load (see ModuleGate.approve). */
  readonly scan: Pick<ScanReport, 'approved' | 'contentHash'>;
}

/** The answer to `init`: the plugin's services (non-request-scoped) and the hooks it defines. */
export interface InitShape {
  readonly services: readonly string[];
  readonly hooks: readonly HookName[];
}

/** `load`: the services of its dependencies the host lets it see, by plugin. */
export interface LoadRequest {
  readonly dependencies: readonly { readonly name: string; readonly services: readonly string[] }[];
}

/** A guard of the plugin as the host declares it. */
export interface GuardShape {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

/** The answer to `guard`: pass or not, the principal the guard set, and its `deny()` status and reason if any. */
export interface GuardAnswer {
  readonly allowed: boolean;
  readonly principal: unknown;
  readonly denial?: { readonly status: 401 | 403; readonly reason: string | undefined };
}

/** A route of the plugin, relative to its prefix; `index` names it in `route` requests. */
export interface RouteShape {
  readonly index: number;
  readonly method: HttpMethod;
  readonly path: string;
  readonly guards: readonly string[];
  readonly permissions: readonly string[];
}

/** The answer to `load`: the plugin's guards and routes, built by the child's loader. */
export interface LoadShape {
  readonly guards: readonly GuardShape[];
  readonly routes: readonly RouteShape[];
}

/** The neutral request a guard or a handler in the child sees. */
export interface WireRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly principal: Principal | undefined;
  readonly body?: unknown;
}

/**
 * `route`: run route `index` on `request`; `id` names the call for aborting it. With `guards` (the route's whole
 * chain, in order), the process runs those guards and the permission check first, as the host would.
 */
export interface RouteRequest {
  readonly index: number;
  readonly request: WireRequest;
  readonly id: number;
  readonly guards?: readonly string[];
}

/**
 * The answer to `route`: the handler's response, or, with `guards`, where they stopped: the guard after the first
 * `passed` one did not allow the request (its `denial`, or what it `threw`; `false` when neither), or, all passed,
 * the permission check refused it. `principal` is what the guards established.
 */
export interface RouteAnswer {
  readonly response?: WireResponse;
  readonly principal?: Principal | undefined;
  readonly passed?: number;
  readonly denial?: { readonly status: 401 | 403; readonly reason: string | undefined };
  readonly threw?: WireError;
}

/** The head of a handler's response; `stream` names the chunks that follow when the body is a stream. */
export interface WireResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | readonly string[]>>;
  readonly body?: string | Uint8Array;
  readonly stream?: number;
}

/** A service call: `token`'s `method` with `args`. */
export interface CallRequest {
  readonly token: string;
  readonly method: string;
  readonly args: readonly unknown[];
}

/** A stream message: a chunk, the end, or a failure of stream `stream`; the host asks for each chunk (`pull`). */
export type StreamMessage =
  | { readonly t: 'chunk'; readonly stream: number; readonly data: Uint8Array }
  | { readonly t: 'end'; readonly stream: number }
  | { readonly t: 'pull'; readonly stream: number };

/** The host's client of route call `route` went away before its answer: the handler's `ctx.signal` aborts. */
export interface AbortMessage {
  readonly t: 'abort';
  readonly route: number;
}

/** A log line of the plugin, for the host's structured log. */
export interface LogMessage {
  readonly t: 'log';
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly obj: Readonly<Record<string, unknown>>;
  readonly msg: string | undefined;
}
