// Sample plugins in both authoring styles, shared by the kernel HTTP tests and the adapter contract suite.
import { Readable } from 'node:stream';
import { inject, injectable } from 'inversify';
import {
  Controller,
  definePlugin,
  Get,
  Guard,
  ModuError,
  type Principal,
  type RequestContext,
  RequirePermissions,
  reply,
  UseGuards,
} from '../../../kernel/index.js';
import type { PluginSpec } from './test-host.js';

/** Credentials the auth plugin's token service knows. */
export class TokenBook {
  readonly #principals = new Map<string, Principal>([
    ['root', { id: 'ada', permissions: ['*'], roles: ['admin'] }],
    ['writer', { id: 'bob', permissions: ['users:*'], roles: [] }],
    ['reader', { id: 'cy', permissions: ['users:read'], roles: [] }],
    ['nobody', { id: 'dan', permissions: [], roles: [] }],
  ]);

  find(token: string): Principal | undefined {
    return this.#principals.get(token);
  }
}

@Guard('authenticated')
@injectable()
export class AuthenticatedGuard {
  constructor(@inject('auth/Tokens') private readonly tokens: TokenBook) {}

  canActivate(ctx: RequestContext): boolean {
    const header = ctx.headers.authorization;
    const token = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : undefined;
    const principal = token === undefined ? undefined : this.tokens.find(token);
    if (principal === undefined) throw new ModuError('MODU_AUTH_REQUIRED', 'Send a valid bearer token.');
    ctx.principal = principal;
    return true;
  }
}

export const authSpec: PluginSpec = {
  name: 'auth',
  exportsGuards: ['authenticated'],
  exportsServices: ['Tokens'],
  definition: definePlugin({
    services: { Tokens: { class: TokenBook } },
    guards: [AuthenticatedGuard],
  }),
};

/** A request-scoped service: one per request, disposed at its end. */
export class RequestTrace {
  static built = 0;
  static disposed = 0;
  readonly id = ++RequestTrace.built;
}

export class Directory {
  readonly users = new Map([['1', { id: '1', name: 'Ada' }]]);
}

@Controller('/admin')
@UseGuards('admin')
@injectable()
export class AdminController {
  constructor(@inject('users/Directory') private readonly directory: Directory) {}

  @Get('/stats')
  @RequirePermissions('users:stats')
  stats(ctx: RequestContext) {
    return { users: this.directory.users.size, by: ctx.principal?.id };
  }
}

function slow(ctx: RequestContext): Promise<unknown> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ slow: true }), Number(ctx.query.ms ?? 200));
    ctx.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      slowAborts.count++;
      resolve(undefined);
    });
  });
}

export const slowAborts = { count: 0 };

export const usersSpec: PluginSpec = {
  name: 'users',
  dependencies: ['auth'],
  definition: definePlugin({
    services: {
      Directory: { class: Directory },
      Trace: { class: RequestTrace, scope: 'request', dispose: () => void RequestTrace.disposed++ },
    },
    guards: {
      admin: {
        dependsOn: ['auth/authenticated'],
        canActivate: (ctx: RequestContext) => ctx.principal?.roles?.includes('admin') === true,
      },
    },
    controllers: [AdminController],
    routes: [
      { method: 'GET', path: '/plugins/:name', handler: (ctx) => ({ param: ctx.params.name }) },
      { method: 'GET', path: '/plugins/search', handler: () => ({ literal: 'search' }) },
      {
        method: 'GET',
        path: '/:id',
        guards: ['auth/authenticated'],
        permissions: ['users:read'],
        handler: (ctx) =>
          ctx.use<Directory>('users/Directory').users.get(ctx.params.id ?? '') ??
          reply(404, { missing: ctx.params.id }),
      },
      {
        method: ['POST', 'PUT'],
        path: '/echo',
        guards: ['auth/authenticated'],
        permissions: ['users:write'],
        handler: (ctx) => ({ got: ctx.body, by: ctx.principal?.id }),
      },
      { method: 'GET', path: '/locked', permissions: ['users:read'], handler: () => ({ reached: true }) },
      { method: 'GET', path: '/whoami', handler: (ctx) => ({ principal: ctx.principal ?? null }) },
      { method: 'GET', path: '/text', handler: () => 'plain words' },
      { method: 'DELETE', path: '/none', handler: () => undefined },
      { method: 'POST', path: '/created', handler: () => reply(201, { id: '2' }, { location: '/users/2' }) },
      { method: 'GET', path: '/stream', handler: () => Readable.from(['chunk-1 ', 'chunk-2']) },
      { method: 'GET', path: '/bytes', handler: () => new Uint8Array([104, 105]) },
      {
        method: 'GET',
        path: '/trace-async',
        handler: async (ctx) => (await ctx.useAsync<RequestTrace>('users/Trace')).id,
      },
      {
        method: 'GET',
        path: '/boom',
        handler: () => {
          throw new Error('secret internal detail');
        },
      },
      {
        method: 'GET',
        path: '/gone',
        handler: () => {
          throw new ModuError('MODU_HTTP_NOT_FOUND', 'User 42 does not exist.');
        },
      },
      { method: 'GET', path: '/slow', handler: slow },
      {
        method: 'GET',
        path: '/trace',
        handler: (ctx) => [ctx.use<RequestTrace>('users/Trace').id, ctx.use<RequestTrace>('users/Trace').id],
      },
      { method: 'GET', path: '/config', handler: (ctx) => ({ config: ctx.config, plugin: ctx.plugin }) },
    ],
  }),
  config: { pageSize: 20 },
};

/** A plugin whose handler fails on demand, for the circuit breaker. */
export const flakySwitch = { failing: false };

export const flakySpec: PluginSpec = {
  name: 'flaky',
  definition: definePlugin({
    routes: [
      {
        method: 'GET',
        path: '/',
        handler: () => {
          if (flakySwitch.failing) throw new Error('flaky failure');
          return { ok: true };
        },
      },
    ],
  }),
};
