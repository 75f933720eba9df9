import { type NeutralRequest, type NeutralResponse, problemResponse } from '../../kernel/index.js';

/**
 * The answer when a neutral handler rejects (a bug in a handler outside the route table, such as a
 * host endpoint): a 500 problem, so no framework error page with a stack trace reaches the client.
 */
export function failureResponse(request: NeutralRequest): NeutralResponse {
  return problemResponse('MODU_HTTP_HANDLER_FAILED', 'The request failed inside the host; its log has the details.', {
    instance: request.path,
  });
}
