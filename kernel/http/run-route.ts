import { heldPermissions, missingPermissions } from '../guards/missing-permissions.js';
import { isThenable } from '../is-thenable.js';
import { ArrayPrototypeJoin, NULL_PROTOTYPE, ObjectCreate } from '../primordials.js';
import { type CompiledRoute, recordRequest } from './compiled-route.js';
import { type HttpRequestContext, RequestState } from './http-request-context.js';
import type { NeutralRequest, NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';
import { readJsonBody } from './read-json-body.js';
import type { RemoteRoute } from './remote-route.js';
import { denied, failure, guardFailed, runGuards } from './run-guards.js';
import { toNeutralResponse } from './to-neutral-response.js';

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
  const missing = missingPermissions(heldPermissions(principal), route.permissions);
  if (missing.length === 0) return undefined;
  return problemResponse(
    'MODU_PERMISSION_MISSING',
    `${where} requires ${ArrayPrototypeJoin(missing, ', ')}, not held by the caller.`,
    { instance: request.path, missing },
  );
}

async function answer(route: CompiledRoute, ctx: HttpRequestContext, state: RequestState, limit: number) {
  const { request } = state;
  const bodiless = request.method === 'GET' || request.method === 'HEAD';
  if (route.remote !== undefined && bodiless && breakersClosed(route))
    return answerRemote(route, route.remote, ctx, state);
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
  if (!bodiless) state.body = await readJsonBody(request, limit);
  let result = route.invoke(ctx);
  if (isThenable(result)) result = await result;
  return toNeutralResponse(result);
}

function breakersClosed(route: CompiledRoute): boolean {
  for (let i = 0; i < route.chain.length; i++) if (route.chain[i]?.breaker.state !== 'closed') return false;
  return true;
}

/**
 * A bodiless request to a route whose handler and guards all run in one plugin process: the guards, the permission
 * check and the handler run there in one call, and the host then goes through what it reports exactly as it would
 * have through its own run: the same breakers and denials, and its own permission check on the principal that comes
 * back, which decides whether the handler's reply is sent.
 */
async function answerRemote(route: CompiledRoute, remote: RemoteRoute, ctx: HttpRequestContext, state: RequestState) {
  const outcome = await remote.run(ctx, remote.guards);
  if (outcome.kind === 'failed') return toNeutralResponse(outcome.reply);
  state.guarding = true;
  try {
    ctx.principal = outcome.principal as HttpRequestContext['principal'];
  } finally {
    state.guarding = false;
  }
  const { chain } = route;
  const passed = outcome.kind === 'stopped' ? Math.min(outcome.passed, chain.length) : chain.length;
  for (let i = 0; i < passed; i++) chain[i]?.breaker.record(false);
  const stoppedAt = chain[passed];
  if (outcome.kind === 'stopped' && stoppedAt !== undefined) {
    if (outcome.threw !== undefined) return guardFailed(stoppedAt, state, outcome.threw);
    stoppedAt.breaker.record(false);
    return denied(stoppedAt.name, route, state, outcome.verdict);
  }
  const refused = checkPermissions(route, state);
  if (refused !== undefined) return refused;
  if (outcome.kind === 'stopped')
    throw new Error(`The process of plugin '${route.plugin.name}' refused a permitted request.`);
  return toNeutralResponse(outcome.reply);
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
