import { missingPermissions } from '../guards/missing-permissions.js';
import type { CompiledRoute } from './compiled-route.js';
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

/**
 * Runs one matched route: guard chain in order, body, permission check, handler, response. Never
 * throws: every failure becomes a problem response. Kept as one async function: it is the hot path.
 */
export async function runRoute(
  route: CompiledRoute,
  request: NeutralRequest,
  values: readonly string[],
  bodyLimit: number,
): Promise<NeutralResponse> {
  const ctx = new HttpRequestContext(route.plugin, request, params(route, values));
  let response: NeutralResponse | undefined;
  try {
    const chain = route.chain;
    for (let i = 0; i < chain.length && response === undefined; i++) {
      const step = chain[i] as (typeof chain)[number];
      let allowed = step.guard.canActivate(ctx);
      if (allowed !== true && allowed !== false) allowed = await allowed;
      if (allowed !== true) response = denied(step.name, route, ctx);
    }
    if (response === undefined) {
      // The body is read only after the guards passed: an unauthenticated caller cannot make the host parse anything.
      if (request.method !== 'GET' && request.method !== 'HEAD') ctx.body = await readJsonBody(request, bodyLimit);
      response = checkPermissions(route, ctx);
    }
    if (response === undefined) {
      let result = route.invoke(ctx);
      if (isThenable(result)) result = await result;
      response = toNeutralResponse(result);
    }
  } catch (error) {
    response = problemFromError(error, request.path, route.plugin.name, route.plugin.context.logger);
  }
  const ending = ctx.end();
  if (ending !== undefined) await ending;
  return response;
}

function denied(guard: string, route: CompiledRoute, ctx: HttpRequestContext): NeutralResponse {
  return problemResponse('MODU_GUARD_DENIED', `Guard '${guard}' refused ${ctx.method} ${route.path}.`, {
    instance: ctx.path,
    guard,
  });
}
