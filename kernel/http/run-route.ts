import { isGuardDenial } from '../guards/deny.js';
import { missingPermissions } from '../guards/missing-permissions.js';
import { type CompiledRoute, recordRequest } from './compiled-route.js';
import { HttpRequestContext } from './http-request-context.js';
import type { NeutralRequest, NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';
import { problemFromError } from './problem-from-error.js';
import { readJsonBody } from './read-json-body.js';
import { toNeutralResponse } from './to-neutral-response.js';

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

function params(route: CompiledRoute, values: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  const names = route.paramNames;
  for (let i = 0; i < names.length; i++) result[names[i] as string] = values[i] as string;
  return result;
}

/** The permission check after the guards: 401 without a principal, 403 naming what is missing. */
function checkPermissions(route: CompiledRoute, ctx: HttpRequestContext): NeutralResponse | undefined {
  if (route.permissions.length === 0) return undefined;
  const where = `${ctx.method} ${route.path}`;
  if (ctx.principal === undefined) {
    return problemResponse(
      'MODU_AUTH_REQUIRED',
      `${where} requires ${route.permissions.join(', ')}; no guard on it established who is calling.`,
      { instance: ctx.path },
    );
  }
  const missing = missingPermissions(ctx.principal.permissions ?? [], route.permissions);
  if (missing.length === 0) return undefined;
  return problemResponse(
    'MODU_PERMISSION_MISSING',
    `${where} requires ${missing.join(', ')}, not held by the caller.`,
    {
      instance: ctx.path,
      missing,
    },
  );
}

type MaybeAsync<T> = T | Promise<T>;

/**
 * Runs the precompiled guard chain in order; resolves the denial, or undefined when all passed. It
 * stays synchronous while the guards do, so a chain of sync guards costs no promise.
 */
function runGuards(route: CompiledRoute, ctx: HttpRequestContext, from = 0): MaybeAsync<NeutralResponse | undefined> {
  const chain = route.chain;
  for (let i = from; i < chain.length; i++) {
    const step = chain[i] as (typeof chain)[number];
    const allowed = step.guard.canActivate(ctx);
    if (allowed === true) continue;
    if (allowed !== false && isThenable(allowed)) {
      return Promise.resolve(allowed).then((ok) =>
        ok === true ? runGuards(route, ctx, i + 1) : denied(step.name, route, ctx, ok),
      );
    }
    return denied(step.name, route, ctx, allowed);
  }
  return undefined;
}

async function answer(route: CompiledRoute, ctx: HttpRequestContext, request: NeutralRequest, limit: number) {
  let guarded = runGuards(route, ctx);
  if (guarded instanceof Promise) guarded = await guarded;
  if (guarded !== undefined) return guarded;
  // The body is read only after the guards passed: an unauthenticated caller cannot make the host parse anything.
  if (request.method !== 'GET' && request.method !== 'HEAD') ctx.body = await readJsonBody(request, limit);
  const refused = checkPermissions(route, ctx);
  if (refused !== undefined) return refused;
  let result = route.invoke(ctx);
  if (isThenable(result)) result = await result;
  return toNeutralResponse(result);
}

/**
 * Runs one matched, admitted route: guards, body, permissions, handler, response; counts it, tells
 * the breaker, and keeps the plugin's in-flight count. Never rejects: every failure is a problem.
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
  const ctx = new HttpRequestContext(plugin, request, params(route, values));
  let response: NeutralResponse;
  try {
    response = await answer(route, ctx, request, bodyLimit);
  } catch (error) {
    response = failure(error, route, request);
  }
  const ending = ctx.end();
  if (ending !== undefined) await ending;
  plugin.leave();
  plugin.breaker.record(response.status >= 500);
  recordRequest(route.stats, response.status, (performance.now() - started) / 1000);
  return response;
}

function failure(error: unknown, route: CompiledRoute, request: NeutralRequest): NeutralResponse {
  try {
    return problemFromError(error, request.path, route.plugin.name, route.plugin.context.logger);
  } catch {
    // Only a throwing plugin logger gets here.
    return problemResponse('MODU_HTTP_HANDLER_FAILED', `The request failed inside plugin '${route.plugin.name}'.`, {
      instance: request.path,
    });
  }
}

/** A guard's `false` answers 403; its `deny(401 | 403, reason)` that status, with the reason as the detail. */
function denied(guard: string, route: CompiledRoute, ctx: HttpRequestContext, verdict: unknown): NeutralResponse {
  const extra = { instance: ctx.path, guard };
  const reason = isGuardDenial(verdict) ? verdict.reason : undefined;
  if (isGuardDenial(verdict) && verdict.status === 401) {
    return problemResponse('MODU_AUTH_REQUIRED', reason ?? `Guard '${guard}' found no valid credential.`, extra);
  }
  return problemResponse('MODU_GUARD_DENIED', reason ?? `Guard '${guard}' refused ${ctx.method} ${route.path}.`, extra);
}
