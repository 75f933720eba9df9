import { type CompiledRoute, recordRequest } from './compiled-route.js';
import type { NeutralHandler, NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';
import type { RouteTrie } from './route-trie.js';
import { runRoute } from './run-route.js';

function unavailable(route: CompiledRoute, path: string, retryAfterMs: number): NeutralResponse {
  const plugin = route.plugin.name;
  const seconds = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
  if (!route.plugin.active) {
    return problemResponse(
      'MODU_PLUGIN_UNAVAILABLE',
      `Plugin '${plugin}' is not started; retry shortly.`,
      {
        instance: path,
        plugin,
      },
      { 'retry-after': seconds },
    );
  }
  return problemResponse(
    'MODU_PLUGIN_CIRCUIT_OPEN',
    `Plugin '${plugin}' failed repeatedly and is paused; retry after ${seconds} s.`,
    { instance: path, plugin },
    { 'retry-after': seconds },
  );
}

/**
 * The route table's neutral handler: match → availability and breaker → route → response, counted
 * per route. Resolves undefined when no route's path matches, so the host's next handler answers.
 */
export function createDispatch(trie: RouteTrie<CompiledRoute>, bodyLimit: number): NeutralHandler {
  return async (request) => {
    const hit = trie.lookup(request.method, request.path);
    if (hit === undefined) return undefined;
    if (!hit.found) {
      const allow = hit.allow.join(', ');
      return problemResponse(
        'MODU_HTTP_METHOD_NOT_ALLOWED',
        `${request.method} is not allowed on ${request.path}; use ${allow}.`,
        { instance: request.path, allow: hit.allow },
        { allow },
      );
    }
    const route = hit.value;
    const plugin = route.plugin;
    const wait = plugin.active ? plugin.breaker.admit() : 1000;
    if (wait > 0) return unavailable(route, request.path, wait);
    const started = performance.now();
    plugin.enter();
    let response: NeutralResponse;
    try {
      response = await runRoute(route, request, hit.values, bodyLimit);
    } catch {
      // runRoute answers every failure itself; this only covers a throwing plugin logger.
      response = problemResponse('MODU_HTTP_HANDLER_FAILED', `The request failed inside plugin '${plugin.name}'.`, {
        instance: request.path,
      });
    } finally {
      plugin.leave();
    }
    plugin.breaker.record(response.status >= 500);
    recordRequest(route.stats, response.status, (performance.now() - started) / 1000);
    // HEAD gets the GET answer whole: Node and the frameworks send its headers and drop the body.
    return response;
  };
}
