import { type NeutralHandler, type NeutralRequest, type NeutralResponse, problemResponse } from '../../kernel/index.js';

/**
 * Runs a neutral handler; a rejection (a bug in a handler outside the route table, such as a host
 * endpoint) becomes a 500 problem, so no framework error page with a stack trace reaches the client.
 */
export async function answer(handler: NeutralHandler, request: NeutralRequest): Promise<NeutralResponse | undefined> {
  try {
    return await handler(request);
  } catch {
    return problemResponse('MODU_HTTP_HANDLER_FAILED', 'The request failed inside the host; its log has the details.', {
      instance: request.path,
    });
  }
}
