import type { Middleware } from 'koa';
import type { NeutralHandler } from '../../kernel/index.js';
import { answer } from '../shared/answer.js';
import { toNeutralRequest } from '../shared/to-neutral-request.js';

/**
 * Mounts a neutral handler (a kernel's routes, the host endpoints, the registry API) as Koa 3
 * middleware. Requests it does not answer go on to `next()`.
 *
 * @example app.use(koaMiddleware(kernel.http));
 */
export function koaMiddleware(handler: NeutralHandler): Middleware {
  return async (ctx, next) => {
    const parsed = (ctx.request as { body?: unknown }).body;
    const response = await answer(handler, toNeutralRequest(ctx.req, ctx.res, parsed));
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
