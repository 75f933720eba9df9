import type { Middleware } from 'koa';
import type { NeutralHandler, NeutralResponse } from '../../kernel/index.js';
import { failureResponse } from '../shared/failure-response.js';
import { toNeutralRequest } from '../shared/to-neutral-request.js';

/**
 * Mounts a neutral handler (a kernel's routes, the host endpoints, the registry API) as Koa 3
 * middleware. Requests it does not answer go on to `next()`.
 *
 * @example app.use(koaMiddleware(kernel.http));
 */
export function koaMiddleware(handler: NeutralHandler): Middleware {
  return async (ctx, next) => {
    const request = toNeutralRequest(ctx.req, ctx.res, (ctx.request as { body?: unknown }).body);
    let response: NeutralResponse | undefined;
    try {
      response = await handler(request);
    } catch {
      response = failureResponse(request);
    }
    if (response === undefined) return next();
    ctx.status = response.status;
    for (const [name, value] of Object.entries(response.headers)) ctx.set(name, value as string | string[]);
    const { body } = response;
    // Koa sends Buffers as bytes but would serialise a bare Uint8Array as JSON.
    ctx.body =
      body instanceof Uint8Array && !Buffer.isBuffer(body)
        ? Buffer.from(body.buffer, body.byteOffset, body.byteLength)
        : (body ?? null);
    if (response.body === undefined) ctx.status = response.status;
  };
}
