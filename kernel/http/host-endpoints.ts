import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { ModuError } from '../errors/modu-error.js';
import type { PluginSnapshot } from '../runtime/plugin-snapshot.js';
import type { NeutralHandler, NeutralRequest, NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';

/** What the host endpoints need from a kernel. */
export interface HostControl {
  snapshot(): readonly PluginSnapshot[];
  reload(name: string): Promise<unknown>;
  unload(name: string): Promise<unknown>;
}

/** Options of {@link hostEndpoints}. */
export interface HostEndpointsOptions {
  /** Mount point (default `/_modu`). */
  readonly prefix?: string;
  /** Enables POST reload/unload for `Authorization: Bearer <adminToken>`; without it they answer 403. */
  readonly adminToken?: string;
  /** Registries whose metrics `GET <prefix>/metrics` serves (such as `pluginHttp.metrics`). */
  readonly metrics?: readonly Registry[];
}

function json(status: number, body: unknown): NeutralResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

function health(host: HostControl): NeutralResponse {
  const plugins = host.snapshot();
  const down = plugins
    .filter((plugin) => plugin.state !== 'started')
    .map((plugin) => ({ name: plugin.name, state: plugin.state, reason: plugin.failure?.error.message ?? null }));
  return down.length === 0
    ? json(200, { status: 'ok', plugins: plugins.length })
    : json(503, { status: 'unavailable', plugins: down });
}

async function metrics(registries: readonly Registry[]): Promise<NeutralResponse> {
  const texts = await Promise.all(registries.map((registry) => registry.metrics()));
  const contentType = registries[0]?.contentType ?? 'text/plain; version=0.0.4; charset=utf-8';
  return { status: 200, headers: { 'content-type': contentType }, body: texts.join('\n') };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Constant-time check of `Authorization: Bearer <token>`; digests make both sides the same length. */
function authorised(request: NeutralRequest, expected: Buffer): boolean {
  const header = request.headers.authorization;
  const value = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7) : '';
  return timingSafeEqual(digest(value), expected);
}

async function adminWrite(host: HostControl, name: string, action: 'reload' | 'unload', instance: string) {
  try {
    await host[action](name);
  } catch (error) {
    if (ModuError.is(error)) return problemResponse(error.code, error.message, { instance });
    return problemResponse(
      'MODU_HTTP_HANDLER_FAILED',
      `${action} of plugin '${name}' failed; the host log has the details.`,
      { instance },
    );
  }
  return json(200, { plugin: name, action, snapshot: host.snapshot().find((plugin) => plugin.name === name) ?? null });
}

const ADMIN_PATH = /^\/plugins\/((?:@[^/]+\/)?[^/@]+)\/(reload|unload)$/;

/**
 * The host's own endpoints: `GET <prefix>/health`, `/plugins`, `/metrics`, and token-guarded
 * `POST <prefix>/plugins/:name/reload|unload`. Other paths resolve undefined.
 *
 * @example composeHandlers(hostEndpoints(kernel, { adminToken, metrics: [http.metrics] }), http.handler)
 */
export function hostEndpoints(host: HostControl, options: HostEndpointsOptions = {}): NeutralHandler {
  const prefix = options.prefix ?? '/_modu';
  const under = `${prefix}/`;
  const token = options.adminToken === undefined || options.adminToken === '' ? undefined : digest(options.adminToken);
  const reads: Record<string, () => NeutralResponse | Promise<NeutralResponse>> = {
    '/health': () => health(host),
    '/plugins': () => json(200, host.snapshot()),
    '/metrics': () => metrics(options.metrics ?? []),
  };
  return async (request) => {
    if (!request.path.startsWith(under)) return undefined;
    const rest = request.path.slice(prefix.length);
    const read = reads[rest];
    const admin = ADMIN_PATH.exec(rest);
    if (read === undefined && admin === null) return undefined;
    const method = request.method;
    const allowed = read === undefined ? 'POST' : 'GET, HEAD';
    if (!allowed.split(', ').includes(method)) {
      return problemResponse(
        'MODU_HTTP_METHOD_NOT_ALLOWED',
        `${method} is not allowed on ${request.path}; use ${allowed}.`,
        { instance: request.path },
        { allow: allowed },
      );
    }
    if (read !== undefined) return read();
    const [, name = '', action = 'reload'] = admin as RegExpExecArray;
    if (token === undefined)
      return problemResponse(
        'MODU_HTTP_ADMIN_DISABLED',
        'Admin writes are disabled: the host has no adminToken configured.',
        { instance: request.path },
      );
    if (!authorised(request, token)) {
      return problemResponse(
        'MODU_HTTP_ADMIN_TOKEN_INVALID',
        'Send Authorization: Bearer <adminToken> with the host token.',
        { instance: request.path },
        { 'www-authenticate': 'Bearer' },
      );
    }
    return adminWrite(host, name, action as 'reload' | 'unload', request.path);
  };
}
