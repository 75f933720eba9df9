import type { NeutralHandler } from './neutral.js';
import { problemResponse } from './problem.js';

/**
 * Chains neutral handlers: each request goes to the first one that answers it (resolves a response).
 *
 * @example app.use(expressHandler(composeHandlers(hostEndpoints(kernel), http.handler)));
 */
export function composeHandlers(...handlers: readonly NeutralHandler[]): NeutralHandler {
  return async (request) => {
    for (const handler of handlers) {
      const response = await handler(request);
      if (response !== undefined) return response;
    }
    return undefined;
  };
}

/**
 * Answers every request with a 404 problem (`MODU_HTTP_NOT_FOUND`). Compose it last when the host
 * wants Modu's 404 instead of its framework's own.
 */
export const notFoundHandler: NeutralHandler = async (request) =>
  problemResponse('MODU_HTTP_NOT_FOUND', `No route answers ${request.method} ${request.path}.`, {
    instance: request.path,
  });
