import type { Logger } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import type { NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';

/**
 * The problem response for an error thrown by a guard, a body reader or a handler. A ModuError with a
 * 4xx status is meant for the client: its code and message go out. Anything else answers with a
 * generic detail (a 5xx ModuError keeps its code) and is logged with the plugin's logger; stacks and
 * internal messages never reach the client.
 */
export function problemFromError(error: unknown, instance: string, plugin: string, logger: Logger): NeutralResponse {
  if (ModuError.is(error) && error.status < 500) return problemResponse(error.code, error.message, { instance });
  logger.error({ err: error, plugin, path: instance }, `request failed in plugin '${plugin}'`);
  const code = ModuError.is(error) ? error.code : 'MODU_HTTP_HANDLER_FAILED';
  return problemResponse(code, `The request failed inside plugin '${plugin}'; the host log has the details.`, {
    instance,
  });
}
