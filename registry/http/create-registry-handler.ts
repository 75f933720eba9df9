import { tmpdir } from 'node:os';
import { ModuError, type NeutralHandler, type NeutralRequest, type NeutralResponse } from '../../kernel/index.js';
import { StorageChannels } from '../channel/storage-channels.js';
import type { LocalRegistry } from '../local/local-registry.js';
import { answerChannelRead, answerChannelWrite } from './answer-channel.js';
import { answerRead, answerWrite, type WriteOutcome } from './answer-route.js';
import { checkToken, type RegistryToken } from './check-token.js';
import { problemResponse } from './problem-response.js';
import { clientAddress, type RateLimit, RateLimiter } from './rate-limiter.js';
import { CHANNEL_WRITES, type ChannelRoute, routeChannelRequest } from './route-channel-request.js';
import { type RegistryRoute, routeRequest } from './route-request.js';

/** Options of the registry HTTP API. */
export interface RegistryHandlerOptions {
  /** Path prefix of the API, such as `/registry`; default none (`/plugins…`). */
  readonly prefix?: string;
  /** Tokens allowed to write; with none, every write is refused. */
  readonly tokens?: readonly RegistryToken[];
  /** Largest accepted upload in bytes (default 16 MiB). */
  readonly maxUploadBytes?: number;
  /** Requests per address and window (default 600 a minute); `false` turns it off. */
  readonly rateLimit?: RateLimit | false;
  /** Socket addresses of proxies whose X-Forwarded-For is believed. */
  readonly trustedProxies?: readonly string[];
  /** The append-only audit log (JSON lines), a key in the registry storage; default `audit.jsonl`. */
  readonly auditLog?: string;
}

const WRITES = new Set<RegistryRoute['op']>(['publish', 'deprecate', 'unpublish', 'tag-add', 'tag-remove']);

async function audit(registry: LocalRegistry, key: string, actor: string, address: string, outcome: WriteOutcome) {
  const line = { time: new Date().toISOString(), actor, address, ...outcome };
  await registry.storage.append(key, JSON.stringify(line));
}

/** A response, and for a write what the audit log records (if anything) and who did it. */
type Answer = { response: NeutralResponse; outcome?: WriteOutcome; actor?: string };

/** Answers a channel route: reads are public; deploys, rollbacks, heartbeats and leases need a token. */
async function answerChannel(
  channels: StorageChannels,
  route: ChannelRoute,
  request: NeutralRequest,
  writer: () => string,
): Promise<Answer> {
  if (!CHANNEL_WRITES.has(route.op)) return { response: await answerChannelRead(channels, route, request) };
  const actor = writer();
  return { ...(await answerChannelWrite(channels, route, request, actor)), actor };
}

/** Answers a plugin route: reads are public; writes need a token. */
async function answerPlugin(
  registry: LocalRegistry,
  route: RegistryRoute,
  request: NeutralRequest,
  context: { readonly writer: () => string; readonly maxUpload: number },
): Promise<Answer> {
  if (!WRITES.has(route.op)) return { response: await answerRead(registry, route, request) };
  const actor = context.writer();
  return { ...(await answerWrite(registry, route, request, { actor, maxUpload: context.maxUpload })), actor };
}

/**
 * The registry's HTTP API as a kernel NeutralHandler, to mount with `expressHandler` or
 * `koaMiddleware`: reads are public, writes need a bearer token and are audited, every request is
 * rate-limited per client address, errors are problem+json with a `code`. Channel routes
 * (`/channels…`) serve `modu deploy`, `modu channel …` and hosts following a channel over HTTP.
 *
 * @example app.use(expressHandler(createRegistryHandler(registry, { tokens: [{ id: 'ci', token }] })));
 */
export function createRegistryHandler(registry: LocalRegistry, options: RegistryHandlerOptions = {}): NeutralHandler {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const limiter =
    options.rateLimit === false ? undefined : new RateLimiter(options.rateLimit ?? { windowMs: 60_000, max: 600 });
  const tokens = options.tokens ?? [];
  const maxUpload = options.maxUploadBytes ?? 16 * 1024 * 1024;
  // The registry root and the temp folder (publish scans archives there); longest first, so a path under the other goes whole.
  const hidden = [registry.location, tmpdir()].sort((a, b) => b.length - a.length);
  const channels = new StorageChannels(registry);
  return async (request: NeutralRequest): Promise<NeutralResponse | undefined> => {
    const address = clientAddress(
      request.remoteAddress,
      request.headers['x-forwarded-for'],
      options.trustedProxies ?? [],
    );
    try {
      const channelRoute = routeChannelRequest(request, prefix);
      const route = channelRoute === undefined ? routeRequest(request, prefix) : undefined;
      if (route === undefined && channelRoute === undefined) return undefined;
      const wait = limiter?.take(address) ?? 0;
      if (wait > 0) {
        const error = new ModuError('MODU_REGISTRY_RATE_LIMITED', `Too many requests from ${address}.`, {
          details: { retryAfter: wait },
        });
        return problemResponse(error, { 'retry-after': String(wait) }, hidden);
      }
      const writer = () => checkToken(request.headers.authorization, tokens);
      const answer =
        channelRoute === undefined
          ? await answerPlugin(registry, route as RegistryRoute, request, { writer, maxUpload })
          : await answerChannel(channels, channelRoute, request, writer);
      if (answer.outcome !== undefined && answer.actor !== undefined)
        await audit(registry, options.auditLog ?? 'audit.jsonl', answer.actor, address, answer.outcome);
      return answer.response;
    } catch (error) {
      const tooLarge = ModuError.is(error) && error.code === 'MODU_REGISTRY_UPLOAD_TOO_LARGE';
      return problemResponse(error, tooLarge ? { connection: 'close' } : {}, hidden);
    }
  };
}
