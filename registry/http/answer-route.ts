import { ModuError, type NeutralRequest, type NeutralResponse } from '../../kernel/index.js';
import { archiveFileName } from '../archive/pack-plugin.js';
import type { FileSignature } from '../archive/sign-files.js';
import type { LocalRegistry } from '../local/local-registry.js';
import { jsonResponse } from './problem-response.js';
import { readBody, readJsonBody } from './read-body.js';
import type { RegistryRoute } from './route-request.js';

/** What a write did, for the audit log. */
export interface WriteOutcome {
  readonly action: string;
  readonly plugin?: string;
  readonly version?: string;
  readonly detail?: string;
}

function queryText(request: NeutralRequest, key: string): string | undefined {
  const value = request.query[key];
  return typeof value === 'string' ? value : value?.[0];
}

function stringField(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string') {
    throw new ModuError('MODU_REGISTRY_BAD_REQUEST', `The request body needs a string "${field}".`, {
      details: { field },
    });
  }
  return value;
}

/** Parses `x-modu-signature: ed25519:<keyId>:<base64>`. */
function signatureHeader(request: NeutralRequest): FileSignature | undefined {
  const header = request.headers['x-modu-signature'];
  if (typeof header !== 'string') return undefined;
  const match = /^ed25519:([a-f0-9]{16,64}):([A-Za-z0-9+/]+={0,2})$/.exec(header);
  if (match === null || match[1] === undefined || match[2] === undefined) {
    throw new ModuError('MODU_REGISTRY_BAD_REQUEST', 'X-modu-signature must be ed25519:<keyId>:<base64>.', {
      details: {},
    });
  }
  return { algorithm: 'ed25519', keyId: match[1], value: match[2] };
}

/** Answers a read operation. */
export async function answerRead(
  registry: LocalRegistry,
  route: RegistryRoute,
  request: NeutralRequest,
): Promise<NeutralResponse> {
  switch (route.op) {
    case 'list': {
      const q = queryText(request, 'q');
      return jsonResponse(q === undefined ? await registry.list() : await registry.search(q));
    }
    case 'info':
      return jsonResponse(await registry.info(route.name));
    case 'versions':
      return jsonResponse(await registry.versions(route.name));
    case 'dist-tags':
      return jsonResponse(await registry.distTags(route.name));
    case 'resolve':
      return jsonResponse(await registry.resolve(route.name, queryText(request, 'spec') ?? 'latest'));
    case 'version':
      return jsonResponse(await registry.version(route.name, route.version));
    case 'download': {
      const body = await registry.openArchive(route.name, route.version);
      const file = archiveFileName(route.name, route.version);
      return {
        status: 200,
        headers: { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename="${file}"` },
        body,
      };
    }
    default:
      throw new ModuError('MODU_REGISTRY_ROUTE_UNKNOWN', `${route.op} is not a read.`, { details: {} });
  }
}

const NO_CONTENT: NeutralResponse = { status: 204, headers: {}, body: undefined };

async function publishUpload(
  registry: LocalRegistry,
  request: NeutralRequest,
  context: { readonly actor: string; readonly maxUpload: number },
): Promise<{ response: NeutralResponse; outcome: WriteOutcome }> {
  const bytes = await readBody(request, context.maxUpload);
  const signature = signatureHeader(request);
  const tag = queryText(request, 'tag');
  const record = await registry.publish(bytes, {
    actor: context.actor,
    ...(signature === undefined ? {} : { signature }),
    ...(tag === undefined ? {} : { tag }),
  });
  return {
    response: jsonResponse(record, 201),
    outcome: { action: 'publish', plugin: record.name, version: record.version },
  };
}

/** Answers a write operation (the token is already checked). */
export async function answerWrite(
  registry: LocalRegistry,
  route: RegistryRoute,
  request: NeutralRequest,
  context: { readonly actor: string; readonly maxUpload: number },
): Promise<{ response: NeutralResponse; outcome: WriteOutcome }> {
  const { actor } = context;
  switch (route.op) {
    case 'publish':
      return publishUpload(registry, request, context);
    case 'deprecate': {
      const body = await readJsonBody(request);
      const range = stringField(body, 'range');
      const versions = await registry.deprecate(route.name, range, stringField(body, 'message'));
      return {
        response: jsonResponse({ versions }),
        outcome: { action: 'deprecate', plugin: route.name, version: range },
      };
    }
    case 'unpublish': {
      const body = await readJsonBody(request);
      const version = stringField(body, 'version');
      await registry.unpublish(route.name, version, { force: body.force === true, actor });
      return {
        response: NO_CONTENT,
        outcome: { action: 'unpublish', plugin: route.name, version },
      };
    }
    case 'tag-add': {
      const version = stringField(await readJsonBody(request), 'version');
      await registry.addDistTag(route.name, route.tag, version);
      const outcome = { action: 'dist-tag-add', plugin: route.name, version, detail: route.tag };
      return { response: NO_CONTENT, outcome };
    }
    case 'tag-remove':
      await registry.removeDistTag(route.name, route.tag);
      return {
        response: NO_CONTENT,
        outcome: { action: 'dist-tag-remove', plugin: route.name, detail: route.tag },
      };
    default:
      throw new ModuError('MODU_REGISTRY_ROUTE_UNKNOWN', `${route.op} is not a write.`, { details: {} });
  }
}
