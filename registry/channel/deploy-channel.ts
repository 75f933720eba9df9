import { ModuError } from '../../kernel/index.js';
import type { LockedPlugin } from '../install/lock-file.js';
import type { LocalRegistry } from '../local/local-registry.js';
import { verifyStoredVersion } from '../migrate/verify-stored-version.js';
import { type InstallRequest, resolveClosure } from '../resolve/resolve-closure.js';
import type { ChannelRevision } from './channel-revision.js';
import { ChannelStore } from './channel-store.js';

/** Options of a deploy or rollback. */
export interface ChannelWriteOptions {
  readonly actor?: string;
  readonly now?: Date;
}

function requestText(request: InstallRequest): string {
  return request.spec === undefined ? request.name : `${request.name}@${request.spec}`;
}

function parseRequested(text: string): InstallRequest {
  const at = text.lastIndexOf('@');
  return at <= 0 ? { name: text } : { name: text.slice(0, at), spec: text.slice(at + 1) };
}

/**
 * Writes a new revision of `channel`: the current revision's requests with `requests` added or
 * replaced (by name), resolved to their whole dependency closure, every archive checked (integrity,
 * and signature where the registry requires one) before the revision is written.
 *
 * @throws ModuError resolve, integrity and signature codes, `MODU_REGISTRY_CHANNEL_NAME_INVALID`
 */
export async function deployChannel(
  registry: LocalRegistry,
  channel: string,
  requests: readonly InstallRequest[],
  options: ChannelWriteOptions = {},
): Promise<ChannelRevision> {
  const store = new ChannelStore(registry.storage);
  const previous = await store.current(channel);
  const merged = new Map((previous?.requested ?? []).map((text) => [parseRequested(text).name, parseRequested(text)]));
  for (const request of requests) merged.set(request.name, request);
  const chosen = await resolveClosure(registry, [...merged.values()]);
  const config = await registry.config();
  const plugins: Record<string, LockedPlugin> = {};
  for (const record of [...chosen.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    await verifyStoredVersion(registry, config, record.name, record.version);
    const requested = merged.get(record.name);
    plugins[record.name] = {
      version: record.version,
      integrity: record.integrity,
      ...(requested === undefined ? {} : { requested: requested.spec ?? 'latest' }),
      ...(record.manifest.dependencies === undefined ? {} : { dependencies: { ...record.manifest.dependencies } }),
    };
  }
  const draft = {
    reason: 'deploy' as const,
    requested: [...merged.values()].map(requestText).sort(),
    plugins,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
  };
  return store.append(channel, draft, options.now);
}

/**
 * Writes a new revision of `channel` holding exactly the plugins of revision `to` (default: the one
 * before the current). History is never rewritten: a rollback is a revision too.
 *
 * @throws ModuError `MODU_REGISTRY_CHANNEL_NO_PREVIOUS`, `MODU_REGISTRY_CHANNEL_NOT_FOUND`
 */
export async function rollbackChannel(
  registry: LocalRegistry,
  channel: string,
  to?: number,
  options: ChannelWriteOptions = {},
): Promise<ChannelRevision> {
  const store = new ChannelStore(registry.storage);
  const numbers = await store.revisionNumbers(channel);
  if (numbers.length === 0) {
    throw new ModuError('MODU_REGISTRY_CHANNEL_NOT_FOUND', `Channel ${channel} has no revisions.`, {
      details: { channel },
    });
  }
  const target = to ?? numbers.at(-2);
  if (target === undefined) {
    throw new ModuError(
      'MODU_REGISTRY_CHANNEL_NO_PREVIOUS',
      `Channel ${channel} has no earlier revision to roll back to.`,
      {
        details: { channel, revisions: numbers },
      },
    );
  }
  const old = await store.revision(channel, target);
  const draft = {
    reason: 'rollback' as const,
    rollbackTo: target,
    requested: old.requested,
    plugins: old.plugins,
    ...(options.actor === undefined ? {} : { actor: options.actor }),
  };
  return store.append(channel, draft, options.now);
}
