import { isGuardDenial } from '../guards/deny.js';
import { missingPermissions } from '../guards/missing-permissions.js';
import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  NULL_PROTOTYPE,
  ObjectCreate,
  ownValue,
  ReflectApply,
} from '../primordials.js';
import { type CompiledRoute, recordRequest } from './compiled-route.js';
import { type HttpRequestContext, RequestState } from './http-request-context.js';
import type { NeutralRequest, NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';
import { problemFromError } from './problem-from-error.js';
import { readJsonBody } from './read-json-body.js';
import { toNeutralResponse } from './to-neutral-response.js';

type MaybeAsync<T> = T | Promise<T>;
type Step = CompiledRoute['chain'][number];

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function params(route: CompiledRoute, values: readonly string[]): Record<string, string> {
  const result = ObjectCreate(NULL_PROTOTYPE) as Record<string, string>;
  const names = route.paramNames;
  for (let i = 0; i < names.length; i++) result[names[i] as string] = values[i] as string;
  return result;
}

/**
 * The permission check after the guards: 401 without a principal, 403 naming what is missing. The principal's
 * `permissions` is read as its own property: a polluted Object.prototype cannot grant anything.
 */
function checkPermissions(route: CompiledRoute, state: RequestState): NeutralResponse | undefined {
  if (route.permissions.length === 0) return undefined;
  const { request, principal } = state;
  const where = `${request.method} ${route.path}`;
  if (principal === undefined || principal === null) {
    return problemResponse(
      'MODU_AUTH_REQUIRED',
      `${where} requires ${ArrayPrototypeJoin(route.permissions, ', ')}; no guard on it established who is calling.`,
      { instance: request.path },
    );
  }
  const permissions = ownValue<readonly string[]>(principal, 'permissions');
  const held = ArrayIsArray(permissions) ? permissions : [];
  const missing = missingPermissions(held, route.permissions);
  if (missing.length === 0) return undefined;
  return problemResponse(
    'MODU_PERMISSION_MISSING',
    `${where} requires ${ArrayPrototypeJoin(missing, ', ')}, not held by the caller.`,
    { instance: request.path, missing },
  );
}

/**
 * Runs the precompiled guard chain in order, each guard as its owner (its services, config and logger); resolves
 * the denial, or undefined when all passed. It stays synchronous while the guards do, so a chain of sync guards
 * costs no promise. A guard that throws is its owner's failure: its own breaker and counter, never the route's.
 */
function runGuards(route: CompiledRoute, state: RequestState, from = 0): MaybeAsync<NeutralResponse | undefined> {
  const chain = route.chain;
  for (let i = from; i < chain.length; i++) {
    const step = chain[i] as Step;
    const wait = step.breaker.admit();
    if (wait > 0) return guardPaused(step, state, wait);
    let allowed: unknown;
    try {
      allowed = ReflectApply(step.guard.canActivate, step.guard, [state.viewFor(step.runsAs)]);
    } catch (error) {
      return guardFailed(step, state, error);
    }
    if (allowed === true) {
      step.breaker.record(false);
      continue;
    }
    if (allowed !== false && isThenable(allowed)) {
      return Promise.resolve(allowed).then(
        (ok) => {
          step.breaker.record(false);
          return ok === true ? runGuards(route, state, i + 1) : denied(step.name, route, state, ok);
        },
        (error: unknown) => guardFailed(step, state, error),
      );
    }
    step.breaker.record(false);
    return denied(step.name, route, state, allowed);
  }
  return undefined;
}

async function answer(route: CompiledRoute, ctx: HttpRequestContext, state: RequestState, limit: number) {
  state.guarding = true;
  let guarded: NeutralResponse | undefined;
  try {
    const running = runGuards(route, state);
    guarded = running instanceof Promise ? await running : running;
  } finally {
    state.guarding = false;
  }
  if (guarded !== undefined) return guarded;
  // Permissions before the body: a caller without them learns nothing about how the body would have been taken.
  const refused = checkPermissions(route, state);
  if (refused !== undefined) return refused;
  const { request } = state;
  if (request.method !== 'GET' && request.method !== 'HEAD') state.body = await readJsonBody(request, limit);
  let result = route.invoke(ctx);
  if (isThenable(result)) result = await result;
  return toNeutralResponse(result);
}

/**
 * Runs one matched, admitted route: guards, permissions, body, handler, response; counts it, tells the route's
 * breaker about failures the plugin caused (a 5xx from its handler, not a guard's failure nor a caller's 4xx), and
 * keeps the plugin's in-flight count. Never rejects: every failure is a problem.
 */
export async function runRoute(
  route: CompiledRoute,
  request: NeutralRequest,
  values: readonly string[],
  bodyLimit: number,
): Promise<NeutralResponse> {
  const plugin = route.plugin;
  const started = performance.now();
  plugin.enter();
  const state = new RequestState(request, params(route, values));
  const ctx = state.viewFor(plugin);
  let response: NeutralResponse;
  try {
    response = await answer(route, ctx, state, bodyLimit);
  } catch (error) {
    response = failure(error, route.plugin, request);
  }
  await state.end();
  plugin.leave();
  route.breaker.record(response.status >= 500 && !state.guardFailed);
  recordRequest(route.stats, response.status, (performance.now() - started) / 1000);
  return response;
}

function failure(error: unknown, owner: CompiledRoute['plugin'], request: NeutralRequest): NeutralResponse {
  try {
    return problemFromError(error, request.path, owner.name, owner.context.logger);
  } catch {
    // Only a throwing plugin logger gets here.
    return problemResponse('MODU_HTTP_HANDLER_FAILED', `The request failed inside plugin '${owner.name}'.`, {
      instance: request.path,
    });
  }
}

/** A guard threw: a client-facing error (a 401 it chose) is its answer; anything else is its owner's failure. */
function guardFailed(step: Step, state: RequestState, error: unknown): NeutralResponse {
  const response = failure(error, step.runsAs, state.request);
  const failed = response.status >= 500;
  if (failed) {
    state.guardFailed = true;
    step.stats.failures++;
  }
  step.breaker.record(failed);
  return response;
}

function guardPaused(step: Step, state: RequestState, waitMs: number): NeutralResponse {
  state.guardFailed = true;
  const seconds = String(Math.max(1, Math.ceil(waitMs / 1000)));
  return problemResponse(
    'MODU_PLUGIN_CIRCUIT_OPEN',
    `Guard '${step.name}' of plugin '${step.owner}' failed repeatedly and is paused; retry after ${seconds} s.`,
    { instance: state.request.path, plugin: step.owner, guard: step.name },
    { 'retry-after': seconds },
  );
}

/** A guard's `false` answers 403; its `deny(401 | 403, reason)` that status, with the reason as the detail. */
function denied(guard: string, route: CompiledRoute, state: RequestState, verdict: unknown): NeutralResponse {
  const extra = { instance: state.request.path, guard };
  const denial = isGuardDenial(verdict);
  const given = denial ? ownValue(verdict, 'reason') : undefined;
  const reason = typeof given === 'string' ? given : undefined;
  if (denial && ownValue(verdict, 'status') === 401) {
    return problemResponse('MODU_AUTH_REQUIRED', reason ?? `Guard '${guard}' found no valid credential.`, extra);
  }
  const refused = `Guard '${guard}' refused ${state.request.method} ${route.path}.`;
  return problemResponse('MODU_GUARD_DENIED', reason ?? refused, extra);
}
