import { isGuardDenial } from '../guards/deny.js';
import { isThenable } from '../is-thenable.js';
import { ownValue, ReflectApply } from '../primordials.js';
import type { CompiledRoute } from './compiled-route.js';
import type { RequestState } from './http-request-context.js';
import type { NeutralRequest, NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';
import { problemFromError } from './problem-from-error.js';

type MaybeAsync<T> = T | Promise<T>;
type Step = CompiledRoute['chain'][number];

/**
 * Runs the precompiled guard chain in order, each guard as its owner (its services, config and logger); resolves
 * the denial, or undefined when all passed. It stays synchronous while the guards do, so a chain of sync guards
 * costs no promise. A guard that throws is its owner's failure: its own breaker and counter, never the route's.
 */
export function runGuards(
  route: CompiledRoute,
  state: RequestState,
  from = 0,
): MaybeAsync<NeutralResponse | undefined> {
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

/** The problem for a failure inside a plugin's code (`owner`'s, logged to its log); never throws. */
export function failure(error: unknown, owner: CompiledRoute['plugin'], request: NeutralRequest): NeutralResponse {
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
export function guardFailed(step: Step, state: RequestState, error: unknown): NeutralResponse {
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
export function denied(guard: string, route: CompiledRoute, state: RequestState, verdict: unknown): NeutralResponse {
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
