import type { Logger, NeutralHandler } from '../../kernel/index.js';

/** Wraps a handler so that every request it answers is logged at debug: method, path, status, milliseconds. */
export function withAccessLog(handler: NeutralHandler, logger: Logger): NeutralHandler {
  return async (request) => {
    const began = performance.now();
    const response = await handler(request);
    const ms = Math.round((performance.now() - began) * 10) / 10;
    logger.debug({ method: request.method, path: request.path, status: response?.status ?? 404, ms }, 'request');
    return response;
  };
}
