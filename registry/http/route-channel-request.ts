import { ModuError, type NeutralRequest } from '../../kernel/index.js';
import { checkChannelName } from '../channel/channel-revision.js';

/** A channel API request, parsed from its method and path. */
export type ChannelRoute =
  | { readonly op: 'channels' }
  | { readonly op: 'head' | 'history' | 'status' | 'deploy' | 'rollback'; readonly channel: string }
  | { readonly op: 'revision'; readonly channel: string; readonly revision: number }
  | { readonly op: 'heartbeat' | 'lease' | 'release'; readonly channel: string; readonly host: string };

/** Channel operations that change the registry: all need a bearer token. */
export const CHANNEL_WRITES: ReadonlySet<ChannelRoute['op']> = new Set([
  'deploy',
  'rollback',
  'heartbeat',
  'lease',
  'release',
]);

const HOST = /^[A-Za-z0-9._-]{1,128}$/;

function hostRoute(method: string, channel: string, rest: readonly string[]): ChannelRoute | undefined {
  const [what, host, extra, more] = rest;
  if (host === undefined || !HOST.test(host) || more !== undefined) return undefined;
  if (what === 'hosts' && method === 'PUT' && extra === undefined) return { op: 'heartbeat', channel, host };
  if (what !== 'leases' || method !== 'POST') return undefined;
  if (extra === undefined) return { op: 'lease', channel, host };
  return extra === 'release' ? { op: 'release', channel, host } : undefined;
}

function channelRoute(method: string, channel: string, rest: readonly string[]): ChannelRoute | undefined {
  const [what, arg] = rest;
  if (what === undefined) return method === 'GET' ? { op: 'head', channel } : undefined;
  if (rest.length === 1) {
    if (method === 'GET' && (what === 'revisions' || what === 'status'))
      return { op: what === 'revisions' ? 'history' : 'status', channel };
    if (method === 'POST' && (what === 'deploy' || what === 'rollback')) return { op: what, channel };
    return undefined;
  }
  if (what === 'revisions' && rest.length === 2 && method === 'GET' && /^[1-9][0-9]{0,8}$/.test(arg ?? '')) {
    return { op: 'revision', channel, revision: Number(arg) };
  }
  return hostRoute(method, channel, rest);
}

/**
 * Maps a request under `<prefix>/channels` to a channel operation; undefined when the path is not a
 * channel path.
 *
 * @throws ModuError `MODU_REGISTRY_BAD_REQUEST`, `MODU_REGISTRY_CHANNEL_NAME_INVALID`
 */
export function routeChannelRequest(request: NeutralRequest, prefix: string): ChannelRoute | undefined {
  const base = `${prefix}/channels`;
  if (request.path !== base && !request.path.startsWith(`${base}/`)) return undefined;
  const [channel, ...rest] = request.path.slice(base.length).split('/').filter(Boolean);
  const route =
    channel === undefined
      ? request.method === 'GET'
        ? ({ op: 'channels' } as const)
        : undefined
      : channelRoute(request.method, checkChannelName(channel), rest);
  if (route === undefined) {
    throw new ModuError('MODU_REGISTRY_BAD_REQUEST', `${request.method} ${request.path} is not a registry operation.`, {
      details: { method: request.method, path: request.path },
    });
  }
  return route;
}
