import type { CompiledRoute } from './compiled-route.js';
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
    `Route ${route.method} ${route.path} of plugin '${plugin}' failed repeatedly and is paused; retry after ${seconds} s.`,
    { instance: path, plugin },
    { 'retry-after': seconds },
  );
}

const NOT_MINE: Promise<undefined> = Promise.resolve(undefined);

/**
 * The route table's neutral handler: match → availability and the route's breaker → route → response. Resolves
 * undefined when no route's path matches, so the host's next handler answers. HEAD gets the GET
 * answer whole: Node and the frameworks send its headers and drop the body.
 */
export function createDispatch(trie: RouteTrie<CompiledRoute>, bodyLimit: number): NeutralHandler {
  return (request) => {
    const hit = trie.lookup(request.method, request.path);
    if (hit === undefined) return NOT_MINE;
    if (!hit.found) {
      const allow = hit.allow.join(', ');
      return Promise.resolve(
        problemResponse(
          'MODU_HTTP_METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${request.path}; use ${allow}.`,
          { instance: request.path, allow: hit.allow },
          { allow },
        ),
      );
    }
    const route = hit.value;
    const wait = route.plugin.active ? route.breaker.admit() : 1000;
    if (wait > 0) return Promise.resolve(unavailable(route, request.path, wait));
    return runRoute(route, request, hit.values, bodyLimit);
  };
}
