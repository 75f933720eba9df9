import type { Readable } from 'node:stream';
import semver from 'semver';
import { stringify } from 'yaml';
import { checkManifest, ModuError } from '../../kernel/index.js';
import { keyIdOf } from '../archive/sign-files.js';
import type {
  PluginInfo,
  PluginSummary,
  PublishOptions,
  RegistryClient,
  UnpublishOptions,
} from '../client/registry-client.js';
import { latestVersion, pickVersion, sortDescending } from '../resolve/pick-version.js';
import { checkDistTag, checkPluginName, checkVersion } from '../store/check-name.js';
import { parseRegistryFile } from '../store/parse-registry-file.js';
import { normaliseState, type PluginState, pluginStateSchema } from '../store/plugin-state.js';
import {
  defaultRegistryConfigText,
  parseRegistryConfig,
  REGISTRY_FILE_HEADER,
  type RegistryConfig,
  type RegistrySettings,
} from '../store/registry-config.js';
import type { RegistryStorage } from '../store/registry-storage.js';
import { type VersionRecord, versionRecordSchema } from '../store/version-record.js';
import { checkUnpublish } from './check-unpublish.js';
import { listPluginNames } from './list-plugin-names.js';
import { preparePublish, type ScanFunction } from './prepare-publish.js';
import { publishRecord } from './publish-record.js';
import { registryKeys as keys } from './registry-keys.js';
import { checkNotUnpublished, deprecateRange, markUnpublished } from './state-changes.js';

/** Options of a folder (or other storage) registry. */
export interface LocalRegistryOptions {
  /** The security scan run on every publish; without one, versions record `scan: skipped`. */
  readonly scan?: ScanFunction;
  readonly now?: () => Date;
}

function where(storage: RegistryStorage, key: string): string {
  return `${storage.location}/${key}`;
}

/**
 * A registry over a {@link RegistryStorage}: published data is immutable, lists are derived from
 * the version files, and the one mutable file per plugin (state.yaml) changes under its lock.
 */
export class LocalRegistry implements RegistryClient {
  readonly location: string;
  private readonly listings = new Map<string, { token: string; versions: string[] }>();

  constructor(
    readonly storage: RegistryStorage,
    private readonly options: LocalRegistryOptions = {},
  ) {
    this.location = storage.location;
  }

  /** registry.yaml (defaults when the registry has not been written yet). @throws `MODU_REGISTRY_FORMAT_UNSUPPORTED` */
  async config(): Promise<RegistryConfig> {
    const bytes = (await this.storage.read(keys.config)) ?? Buffer.from(defaultRegistryConfigText());
    return parseRegistryConfig(bytes, where(this.storage, keys.config));
  }

  async settings(): Promise<RegistrySettings> {
    return (await this.config()).settings as RegistrySettings;
  }

  /** registry.yaml, created on the first write (exclusively: concurrent first writers agree on one file). */
  private async configForWrite(): Promise<RegistryConfig> {
    const existing = await this.storage.read(keys.config);
    if (existing !== undefined) return parseRegistryConfig(existing, where(this.storage, keys.config));
    await this.storage.createExclusive(keys.config, Buffer.from(defaultRegistryConfigText()));
    return this.config();
  }

  /**
   * Trusts an ed25519 public key (PEM) for signatures; registry.yaml changes under the root lock.
   * Resolves to the key id.
   */
  async addTrustedKey(publicKey: string, label?: string): Promise<string> {
    const id = keyIdOf(publicKey);
    await this.configForWrite();
    await this.storage.withLock('', async () => {
      const config = await this.config();
      const trusted = (config.trustedKeys ?? []).filter((k) => k.id !== id);
      trusted.push({ id, publicKey, ...(label === undefined ? {} : { name: label }) });
      const text = `${REGISTRY_FILE_HEADER}${stringify({ ...config, trustedKeys: trusted })}`;
      await this.storage.replace(keys.config, Buffer.from(text));
    });
    return id;
  }

  /** The versions of a plugin from its version file names (one readdir, no file read), in no set order. */
  async versionNames(name: string): Promise<string[]> {
    return [...(await this.listing(name)).versions];
  }

  /**
   * The version listing, cached highest-first while the storage vouches (listToken) that the folder
   * has not changed: a resolve at 10,000 versions then reads no folder at all.
   */
  private async listing(name: string): Promise<{ versions: readonly string[]; sorted: boolean }> {
    const folder = keys.versions(checkPluginName(name));
    const token = await this.storage.listToken?.(folder);
    const cached = this.listings.get(name);
    if (token !== undefined && cached?.token === token) return { versions: cached.versions, sorted: true };
    const names = (await this.storage.list(folder)).filter((n) => n.endsWith('.yaml')).map((n) => n.slice(0, -5));
    if (token === undefined) return { versions: names, sorted: false };
    const versions = sortDescending(names);
    if (this.listings.size >= 1024) this.listings.clear();
    this.listings.set(name, { token, versions });
    return { versions, sorted: true };
  }

  async state(name: string): Promise<PluginState> {
    const bytes = await this.storage.read(keys.state(checkPluginName(name)));
    if (bytes === undefined) return normaliseState(undefined);
    return normaliseState(parseRegistryFile(bytes, where(this.storage, keys.state(name)), pluginStateSchema));
  }

  private async existing(name: string): Promise<{ versions: readonly string[]; sorted: boolean; state: PluginState }> {
    const { versions, sorted } = await this.listing(name);
    if (versions.length === 0) {
      throw new ModuError('MODU_REGISTRY_NOT_FOUND', `Plugin ${name} is not in the registry at ${this.location}.`, {
        details: { plugin: name },
      });
    }
    return { versions, sorted, state: await this.state(name) };
  }

  async list(): Promise<PluginSummary[]> {
    const names = await listPluginNames(this.storage);
    const summaries: (PluginSummary | undefined)[] = [];
    // Bounded batches: 10,000 plugins must not open 20,000 files at once (EMFILE).
    for (let i = 0; i < names.length; i += 64) {
      summaries.push(...(await Promise.all(names.slice(i, i + 64).map((name) => this.summary(name)))));
    }
    return summaries.filter((s): s is PluginSummary => s !== undefined);
  }

  private async summary(name: string): Promise<PluginSummary | undefined> {
    const { versions, sorted } = await this.listing(name);
    if (versions.length === 0) return undefined;
    const latest = latestVersion(versions, await this.state(name), sorted);
    if (latest === undefined) return { name };
    const { manifest } = await this.version(name, latest);
    return {
      name,
      latest,
      ...(manifest.description === undefined ? {} : { description: manifest.description }),
      ...(manifest.keywords === undefined ? {} : { keywords: manifest.keywords }),
    };
  }

  async search(query: string): Promise<PluginSummary[]> {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    const text = (s: PluginSummary) => [s.name, s.description ?? '', ...(s.keywords ?? [])].join(' ').toLowerCase();
    return (await this.list()).filter((s) => words.every((w) => text(s).includes(w)));
  }

  async info(name: string): Promise<PluginInfo> {
    const { versions, state } = await this.existing(name);
    const summary = (await this.summary(name)) ?? { name };
    const sorted = versions.filter((v) => semver.valid(v) === v).sort(semver.compare);
    return {
      ...summary,
      versions: sorted.map((version) => ({
        version,
        ...(state.deprecated[version] === undefined ? {} : { deprecated: state.deprecated[version] }),
        ...(state.unpublished[version] === undefined ? {} : { unpublished: true }),
      })),
      distTags: await this.distTags(name),
    };
  }

  async versions(name: string): Promise<string[]> {
    const { versions, state } = await this.existing(name);
    return versions.filter((v) => semver.valid(v) === v && state.unpublished[v] === undefined).sort(semver.compare);
  }

  async distTags(name: string): Promise<Record<string, string>> {
    const { versions, sorted, state } = await this.existing(name);
    const latest = latestVersion(versions, state, sorted);
    return { ...(latest === undefined ? {} : { latest }), ...state.distTags };
  }

  async version(name: string, version: string): Promise<VersionRecord> {
    const key = keys.version(checkPluginName(name), checkVersion(version));
    const bytes = await this.storage.read(key);
    if (bytes === undefined) {
      throw new ModuError('MODU_REGISTRY_VERSION_NOT_FOUND', `${name}@${version} is not published.`, {
        details: { plugin: name, version },
      });
    }
    const file = where(this.storage, key);
    const record = parseRegistryFile<VersionRecord>(bytes, file, versionRecordSchema);
    checkManifest(record.manifest, { file });
    return record;
  }

  async resolve(name: string, spec = 'latest'): Promise<VersionRecord> {
    const { versions, sorted, state } = await this.existing(name);
    return this.version(name, pickVersion(name, versions, state, spec, sorted));
  }

  /** The archive of a live version as a stream (for HTTP downloads). */
  async openArchive(name: string, version: string): Promise<Readable> {
    checkNotUnpublished(name, checkVersion(version), await this.state(name));
    const stream = await this.storage.readStream(keys.archive(name, version));
    if (stream === undefined) {
      throw new ModuError('MODU_REGISTRY_ARCHIVE_MISSING', `${name}@${version} has no archive.`, {
        details: { plugin: name, version },
      });
    }
    return stream;
  }

  async download(name: string, version: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openArchive(name, version)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async publish(archive: Uint8Array, options: PublishOptions = {}): Promise<VersionRecord> {
    const config = await this.config();
    const record = await preparePublish(archive, options, {
      settings: config.settings as RegistrySettings,
      trustedKeys: config.trustedKeys ?? [],
      scan: this.options.scan,
      now: this.options.now?.() ?? new Date(),
    });
    if (options.tag !== undefined) checkDistTag(options.tag);
    await this.configForWrite();
    await publishRecord(this.storage, record, archive, (state) => {
      if (options.tag !== undefined) state.distTags[options.tag] = record.version;
      return options.tag !== undefined;
    });
    return record;
  }

  /** Changes state.yaml under the plugin's lock: read, change, write, never outside the lock. */
  async updateState(name: string, change: (state: PluginState, versions: readonly string[]) => unknown): Promise<void> {
    checkPluginName(name);
    await this.configForWrite();
    const { versions } = await this.existing(name);
    await this.storage.withLock(keys.plugin(name), async () => {
      const state = await this.state(name);
      await change(state, versions);
      await this.storage.replace(keys.state(name), Buffer.from(stringify(state)));
    });
  }

  async deprecate(name: string, range: string, message: string): Promise<string[]> {
    let changed: string[] = [];
    await this.updateState(name, (state, versions) => {
      changed = deprecateRange(name, state, versions, range, message);
    });
    return changed;
  }

  async unpublish(name: string, version: string, options: UnpublishOptions = {}): Promise<void> {
    const record = await this.version(name, version);
    const settings = await this.settings();
    const now = this.options.now?.() ?? new Date();
    await this.updateState(name, async (state) => {
      await checkUnpublish(this, record, state, { settings, now, force: options.force === true });
      markUnpublished(state, version, now, options.actor);
    });
  }

  async addDistTag(name: string, tag: string, version: string): Promise<void> {
    checkDistTag(tag);
    checkVersion(version);
    await this.updateState(name, (state, versions) => {
      pickVersion(name, versions, state, version);
      state.distTags[tag] = version;
    });
  }

  async removeDistTag(name: string, tag: string): Promise<void> {
    checkDistTag(tag);
    await this.updateState(name, (state) => {
      delete state.distTags[tag];
    });
  }
}
