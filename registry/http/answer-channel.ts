import { type NeutralRequest, type NeutralResponse, validate } from '../../kernel/index.js';
import type { ChannelRegistry } from '../channel/channel-registry.js';
import { type HostReport, hostReportSchema } from '../follow/host-report.js';
import { parseRequest } from '../install/install-plugins.js';
import type { WriteOutcome } from './answer-route.js';
import { jsonResponse } from './problem-response.js';
import { readJsonBody } from './read-body.js';
import type { ChannelRoute } from './route-channel-request.js';

const deploySchema = {
  type: 'object',
  required: ['requests'],
  properties: { requests: { type: 'array', minItems: 1, maxItems: 256, items: { type: 'string', maxLength: 512 } } },
} as const;
const rollbackSchema = { type: 'object', properties: { to: { type: 'integer', minimum: 1 } } } as const;
const leaseSchema = {
  type: 'object',
  required: ['revision', 'maxUnavailable', 'leaseMs'],
  properties: {
    revision: { type: 'integer', minimum: 1 },
    maxUnavailable: { type: 'integer', minimum: 1, maximum: 10_000 },
    leaseMs: { type: 'integer', minimum: 100, maximum: 86_400_000 },
  },
} as const;
const releaseSchema = {
  type: 'object',
  properties: {
    failure: {
      type: 'object',
      required: ['revision', 'error'],
      additionalProperties: false,
      properties: { revision: { type: 'integer', minimum: 1 }, error: { type: 'string', maxLength: 4096 } },
    },
  },
} as const;

const NO_CONTENT: NeutralResponse = { status: 204, headers: {}, body: undefined };

async function body<T>(request: NeutralRequest, schema: object, what: string): Promise<T> {
  return validate<T>(
    schema,
    await readJsonBody(request),
    { file: `the ${what} request body` },
    'MODU_REGISTRY_BAD_REQUEST',
  );
}

/** `GET /channels/<channel>`: the head revision, with an ETag so a poll that changes nothing gets a bodiless 304. */
async function answerHead(channels: ChannelRegistry, channel: string, request: NeutralRequest) {
  const revision = (await channels.head(channel)) ?? null;
  const etag = `"${revision ?? 0}"`;
  const headers = { etag, 'cache-control': 'no-cache' };
  if (request.headers['if-none-match'] === etag) return { status: 304, headers, body: undefined };
  const response = jsonResponse({ channel, revision });
  return { ...response, headers: { ...response.headers, ...headers } };
}

/** Answers a channel read. */
export async function answerChannelRead(
  channels: ChannelRegistry,
  route: ChannelRoute,
  request: NeutralRequest,
): Promise<NeutralResponse> {
  switch (route.op) {
    case 'channels':
      return jsonResponse(await channels.channels());
    case 'head':
      return answerHead(channels, route.channel, request);
    case 'history':
      return jsonResponse(await channels.history(route.channel));
    case 'revision':
      return jsonResponse(await channels.revision(route.channel, route.revision));
    default:
      return jsonResponse(await channels.status(route.channel));
  }
}

async function answerHostWrite(
  channels: ChannelRegistry,
  route: Extract<ChannelRoute, { readonly host: string }>,
  request: NeutralRequest,
): Promise<{ response: NeutralResponse; outcome?: WriteOutcome }> {
  const { channel, host } = route;
  if (route.op === 'heartbeat') {
    const report = await body<HostReport>(request, hostReportSchema, 'heartbeat');
    await channels.heartbeat({ ...report, channel, host });
    return { response: NO_CONTENT };
  }
  if (route.op === 'lease') {
    const lease = await body<{ revision: number; maxUnavailable: number; leaseMs: number }>(
      request,
      leaseSchema,
      'lease',
    );
    return { response: jsonResponse({ answer: await channels.acquireLease({ ...lease, channel, host }) }) };
  }
  const { failure } = await body<{ failure?: { revision: number; error: string } }>(request, releaseSchema, 'release');
  await channels.releaseLease({ channel, host, ...(failure === undefined ? {} : { failure }) });
  // A halt changes what the fleet does: it goes in the audit log; plain releases and heartbeats do not.
  const outcome =
    failure === undefined ? undefined : { action: 'channel-halt', detail: `${channel}@${failure.revision} at ${host}` };
  return { response: NO_CONTENT, ...(outcome === undefined ? {} : { outcome }) };
}

/** Answers a channel write (the token is already checked); `outcome` is what the audit log records, if anything. */
export async function answerChannelWrite(
  channels: ChannelRegistry,
  route: ChannelRoute,
  request: NeutralRequest,
  actor: string,
): Promise<{ response: NeutralResponse; outcome?: WriteOutcome }> {
  if (route.op === 'deploy') {
    const { requests } = await body<{ requests: string[] }>(request, deploySchema, 'deploy');
    const revision = await channels.deploy(route.channel, requests.map(parseRequest), { actor });
    const outcome = { action: 'channel-deploy', detail: `${route.channel}@${revision.revision}` };
    return { response: jsonResponse(revision, 201), outcome };
  }
  if (route.op === 'rollback') {
    const { to } = await body<{ to?: number }>(request, rollbackSchema, 'rollback');
    const revision = await channels.rollback(route.channel, to, { actor });
    const outcome = { action: 'channel-rollback', detail: `${route.channel}@${revision.revision}` };
    return { response: jsonResponse(revision, 201), outcome };
  }
  return answerHostWrite(channels, route as Extract<ChannelRoute, { readonly host: string }>, request);
}
