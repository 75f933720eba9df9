import { ModuError } from '../../kernel/index.js';
import type {
  ChannelRegistry,
  ChannelStatus,
  ChannelSummary,
  LeaseRelease,
  LeaseRequest,
} from '../channel/channel-registry.js';
import { type ChannelRevision, checkChannelName } from '../channel/channel-revision.js';
import type { ChannelWriteOptions } from '../channel/deploy-channel.js';
import type { HostReport } from '../follow/host-report.js';
import type { LeaseAnswer } from '../follow/rollout-state.js';
import type { InstallRequest } from '../resolve/resolve-closure.js';
import { HttpRegistryClient } from './http-registry-client.js';
import { registryFetch } from './registry-fetch.js';

const ch = (channel: string) => `/channels/${checkChannelName(channel)}`;

/**
 * The channels of a registry server (`modu registry serve`), over its `/channels` routes: the same
 * operations and errors as on the folder or database behind it. Writes (deploys, rollbacks,
 * heartbeats, leases) send the bearer token; the head is polled with `If-None-Match`, so a poll that
 * finds nothing new is a bodiless 304.
 */
export class HttpChannels implements ChannelRegistry {
  readonly location: string;
  readonly plugins: HttpRegistryClient;
  private readonly heads = new Map<string, { etag: string; revision: number | undefined }>();

  constructor(
    url: string,
    private readonly token?: string,
  ) {
    this.plugins = new HttpRegistryClient(url, token);
    this.location = this.plugins.location;
  }

  private async request(method: string, path: string, value?: unknown, headers: Record<string, string> = {}) {
    const body = value === undefined ? undefined : JSON.stringify(value);
    const type: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    try {
      return await registryFetch(this.location, this.token, method, path, body, { ...type, ...headers });
    } catch (error) {
      // A server without channel routes (an older Modu) passes /channels on to a plain 404.
      if (ModuError.is(error) && error.code === 'MODU_REGISTRY_HTTP_FAILED' && error.details.status === 404) {
        throw new ModuError('MODU_REGISTRY_CHANNEL_UNSUPPORTED', `${this.location} answers no channel routes.`, {
          details: { registry: this.location },
          cause: error,
        });
      }
      throw error;
    }
  }

  private async json<T>(method: string, path: string, value?: unknown): Promise<T> {
    return (await (await this.request(method, path, value)).json()) as T;
  }

  channels(): Promise<ChannelSummary[]> {
    return this.json('GET', '/channels');
  }

  async head(channel: string): Promise<number | undefined> {
    const known = this.heads.get(channel);
    const response = await this.request(
      'GET',
      ch(channel),
      undefined,
      known === undefined ? {} : { 'if-none-match': known.etag },
    );
    if (response.status === 304 && known !== undefined) return known.revision;
    const revision = ((await response.json()) as { revision: number | null }).revision ?? undefined;
    const etag = response.headers.get('etag');
    if (etag !== null) this.heads.set(channel, { etag, revision });
    return revision;
  }

  revision(channel: string, n: number): Promise<ChannelRevision> {
    return this.json('GET', `${ch(channel)}/revisions/${n}`);
  }

  history(channel: string): Promise<ChannelRevision[]> {
    return this.json('GET', `${ch(channel)}/revisions`);
  }

  /** The server resolves and verifies; the actor it records is the token's id, not `options.actor`. */
  deploy(
    channel: string,
    requests: readonly InstallRequest[],
    _options?: ChannelWriteOptions,
  ): Promise<ChannelRevision> {
    const texts = requests.map((r) => (r.spec === undefined ? r.name : `${r.name}@${r.spec}`));
    return this.json('POST', `${ch(channel)}/deploy`, { requests: texts });
  }

  rollback(channel: string, to?: number, _options?: ChannelWriteOptions): Promise<ChannelRevision> {
    return this.json('POST', `${ch(channel)}/rollback`, to === undefined ? {} : { to });
  }

  status(channel: string): Promise<ChannelStatus> {
    return this.json('GET', `${ch(channel)}/status`);
  }

  async heartbeat(report: HostReport): Promise<void> {
    await this.request('PUT', `${ch(report.channel)}/hosts/${encodeURIComponent(report.host)}`, report);
  }

  async acquireLease(lease: LeaseRequest): Promise<LeaseAnswer> {
    const { revision, maxUnavailable, leaseMs } = lease;
    const path = `${ch(lease.channel)}/leases/${encodeURIComponent(lease.host)}`;
    return (await this.json<{ answer: LeaseAnswer }>('POST', path, { revision, maxUnavailable, leaseMs })).answer;
  }

  async releaseLease(release: LeaseRelease): Promise<void> {
    const path = `${ch(release.channel)}/leases/${encodeURIComponent(release.host)}/release`;
    await this.request('POST', path, release.failure === undefined ? {} : { failure: release.failure });
  }
}
