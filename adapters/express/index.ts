import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { NeutralHandler, NeutralResponse } from '../../kernel/index.js';
import { failureResponse } from '../shared/failure-response.js';
import { toNeutralRequest } from '../shared/to-neutral-request.js';
import { writeResponse } from '../shared/write-response.js';

/**
 * Mounts a neutral handler (a kernel's routes, the host endpoints, the registry API) as Express 5
 * middleware. Requests it does not answer go on to `next()`.
 *
 * @example app.use(expressHandler(kernel.http));
 */
export function expressHandler(handler: NeutralHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const request = toNeutralRequest(req, res, req.body);
    let answered: Promise<NeutralResponse | undefined>;
    try {
      answered = handler(request);
    } catch (error) {
      answered = Promise.reject(error);
    }
    answered
      .catch(() => failureResponse(request))
      .then((response) => (response === undefined ? next() : writeResponse(res, response)))
      .catch(next);
  };
}
