import { createHash, timingSafeEqual } from 'node:crypto';
import type { Registry } from 'prom-client';
import { ModuError } from '../errors/modu-error.js';
import type { PluginSnapshot } from '../runtime/plugin-snapshot.js';
import type { NeutralHandler, NeutralRequest, NeutralResponse } from './neutral.js';
import { problemResponse } from './problem.js';

/** What the host endpoints need from a kernel. */
export interface HostControl {
  snapshot(): readonly PluginSnapshot[];
  /** Resolves to the snapshots of the plugin and the dependents reloaded with it. */
  reload(name: string): Promise<readonly PluginSnapshot[]>;
  /** Resolves to the snapshots of the plugin and the dependents unloaded with it (the plugin's first). */
  unload(name: string, options: { readonly refuseRequired: true }): Promise<readonly PluginSnapshot[]>;
  load(name: string): Promise<PluginSnapshot>;
}

type AdminAction = 'reload' | 'unload' | 'load';

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

/** Runs an admin write; the answer names the plugins it took along (`dependents`), or the problem with its cause. */
async function adminWrite(host: HostControl, name: string, action: AdminAction, instance: string) {
  let affected: readonly PluginSnapshot[];
  try {
    if (action === 'load') affected = [await host.load(name)];
    else if (action === 'reload') affected = await host.reload(name);
    else affected = await host.unload(name, { refuseRequired: true });
  } catch (error) {
    if (ModuError.is(error)) {
      const cause = error.details.error ?? (ModuError.is(error.cause) ? error.cause.code : undefined);
      return problemResponse(error.code, error.message, {
        instance,
        plugin: name,
        ...(cause === undefined ? {} : { cause }),
      });
    }
    return problemResponse(
      'MODU_HTTP_HANDLER_FAILED',
      `${action} of plugin '${name}' failed; the host log has the details.`,
      { instance },
    );
  }
  const snapshot = affected.find((plugin) => plugin.name === name) ?? null;
  const dependents = affected.filter((plugin) => plugin.name !== name).map((plugin) => plugin.name);
  const failure = action === 'load' ? snapshot?.failure : undefined;
  if (failure !== undefined) {
    const message = `load of plugin '${name}' left it ${snapshot?.state} (${failure.phase}): ${failure.error.message}`;
    return problemResponse(failure.error.code, message, { instance, plugin: name, snapshot });
  }
  return json(200, { plugin: name, action, snapshot, dependents });
}

const ADMIN_PATH = /^\/plugins\/((?:@[^/]+\/)?[^/@]+)\/(reload|unload|load)$/;

/**
 * The host's own endpoints: `GET <prefix>/health`, `/plugins`, `/metrics`, and token-guarded
 * `POST <prefix>/plugins/:name/reload|unload|load`. A reload that fails answers its problem with the cause (the
 * old generation keeps serving); an unload answers the dependents that went with it and refuses a `required`
 * plugin (409); a load that leaves the plugin failed or skipped answers 409 with its snapshot. Other paths
 * resolve undefined.
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
    return adminWrite(host, name, action as AdminAction, request.path);
  };
}
