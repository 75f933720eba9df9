import { checkManifest, ModuError, parseYaml } from '../../kernel/index.js';
import { DEFAULT_ARCHIVE_LIMITS } from '../archive/archive-limits.js';
import { readArchive } from '../archive/read-archive.js';
import { signFiles } from '../archive/sign-files.js';
import { checkPluginName, checkVersion } from '../store/check-name.js';
import type { VersionRecord } from '../store/version-record.js';
import type { PluginInfo, PluginSummary, PublishOptions, RegistryClient, UnpublishOptions } from './registry-client.js';
import { registryFetch } from './registry-fetch.js';

const enc = (name: string) => checkPluginName(name).split('/').map(encodeURIComponent).join('/');

/**
 * A registry served over HTTP (`modu registry serve`), with the same operations as a folder.
 * Server errors come back as the same ModuError codes.
 */
export class HttpRegistryClient implements RegistryClient {
  readonly location: string;

  constructor(
    url: string,
    private readonly token?: string,
  ) {
    this.location = url.replace(/\/+$/, '');
  }

  private request(
    method: string,
    path: string,
    body?: Uint8Array | string,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return registryFetch(this.location, this.token, method, path, body, headers);
  }

  private async json<T>(path: string): Promise<T> {
    return (await (await this.request('GET', path)).json()) as T;
  }

  private async send(method: string, path: string, value: unknown): Promise<Response> {
    return this.request(method, path, JSON.stringify(value), { 'content-type': 'application/json' });
  }

  list(): Promise<PluginSummary[]> {
    return this.json('/plugins');
  }

  search(query: string): Promise<PluginSummary[]> {
    return this.json(`/plugins?q=${encodeURIComponent(query)}`);
  }

  info(name: string): Promise<PluginInfo> {
    return this.json(`/plugins/${enc(name)}`);
  }

  versions(name: string): Promise<string[]> {
    return this.json(`/plugins/${enc(name)}/versions`);
  }

  distTags(name: string): Promise<Record<string, string>> {
    return this.json(`/plugins/${enc(name)}/dist-tags`);
  }

  version(name: string, version: string): Promise<VersionRecord> {
    return this.json(`/plugins/${enc(name)}/versions/${encodeURIComponent(checkVersion(version))}`);
  }

  resolve(name: string, spec = 'latest'): Promise<VersionRecord> {
    return this.json(`/plugins/${enc(name)}/resolve?spec=${encodeURIComponent(spec)}`);
  }

  async download(name: string, version: string): Promise<Buffer> {
    const response = await this.request(
      'GET',
      `/plugins/${enc(name)}/archives/${encodeURIComponent(checkVersion(version))}`,
    );
    // A hostile server could stream forever: stop at the archive limit instead of buffering it all.
    const limit = DEFAULT_ARCHIVE_LIMITS.maxArchiveBytes;
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of response.body ?? []) {
      size += chunk.length;
      if (size > limit) {
        await response.body?.cancel().catch(() => undefined);
        throw new ModuError(
          'MODU_REGISTRY_ARCHIVE_TOO_LARGE',
          `${name}@${version} from ${this.location} is over ${limit} bytes.`,
          {
            details: { plugin: name, version, limit: 'maxArchiveBytes', max: limit },
          },
        );
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  }

  async publish(archive: Uint8Array, options: PublishOptions = {}): Promise<VersionRecord> {
    const headers: Record<string, string> = { 'content-type': 'application/gzip' };
    if (options.signingKey !== undefined || options.signature !== undefined) {
      const signature = options.signature ?? (await this.sign(archive, options.signingKey ?? ''));
      headers['x-modu-signature'] = `ed25519:${signature.keyId}:${signature.value}`;
    }
    const query = options.tag === undefined ? '' : `?tag=${encodeURIComponent(options.tag)}`;
    return (await (await this.request('POST', `/plugins${query}`, archive, headers)).json()) as VersionRecord;
  }

  private async sign(archive: Uint8Array, key: string) {
    const { files } = await readArchive(archive, 'the archive to publish');
    const manifestFile = files.find((f) => f.path === 'plugin.yaml');
    if (manifestFile === undefined) {
      throw new ModuError('MODU_REGISTRY_ARCHIVE_INVALID', 'The archive to publish has no plugin.yaml.', {
        details: {},
      });
    }
    const yaml = parseYaml(manifestFile.data.toString('utf8'), 'plugin.yaml');
    const manifest = checkManifest(yaml.value, yaml);
    return signFiles(manifest.name, manifest.version, files, key);
  }

  async deprecate(name: string, range: string, message: string): Promise<string[]> {
    const response = await this.send('POST', `/plugins/${enc(name)}/deprecate`, { range, message });
    return ((await response.json()) as { versions: string[] }).versions;
  }

  async unpublish(name: string, version: string, options: UnpublishOptions = {}): Promise<void> {
    await this.send('POST', `/plugins/${enc(name)}/unpublish`, { version, force: options.force === true });
  }

  async addDistTag(name: string, tag: string, version: string): Promise<void> {
    await this.send('PUT', `/plugins/${enc(name)}/dist-tags/${encodeURIComponent(tag)}`, { version });
  }

  async removeDistTag(name: string, tag: string): Promise<void> {
    await this.request('DELETE', `/plugins/${enc(name)}/dist-tags/${encodeURIComponent(tag)}`);
  }
}
