/**
 * `modu/registry`: the file-based YAML registry.
 *
 * Layout (DESIGN.md): `registry.yaml` (formatVersion, settings, trusted keys),
 * `plugins/<name>/versions/<version>.yaml` and `plugins/<name>/archives/<name>-<version>.tgz` (both
 * immutable, created exclusively), `plugins/<name>/state.yaml` (dist-tags, deprecations, unpublished
 * versions; changed only under the plugin's cross-process lock). Lists come from reading the
 * `versions/` folders, never from an index.
 *
 * Policies:
 * - `latest` is the explicit `latest` dist-tag when set, else the highest stable version that is
 *   neither deprecated nor unpublished (publishing needs no state write, so it never contends on it).
 * - A range resolves to the highest satisfying version that is neither deprecated nor unpublished; an
 *   exact version is served even when deprecated; an unpublished version is never served (410).
 * - Unpublish: only within `settings.unpublishWindowHours` (72 by default) of the publish unless
 *   forced, and never (even forced) while a live version of another plugin depends on it with a range
 *   no other live version satisfies. The version file and archive stay; the version can never be
 *   published again.
 *
 * HTTP API (`createRegistryHandler`, under an optional prefix): `GET /plugins[?q=]`,
 * `GET /plugins/<name>`, `GET /plugins/<name>/versions[/<version>]`, `GET /plugins/<name>/dist-tags`,
 * `GET /plugins/<name>/resolve?spec=`, `GET /plugins/<name>/archives/<version>`; with a bearer token:
 * `POST|PUT /plugins[?tag=]` (body: the .tgz; optional `x-modu-signature: ed25519:<keyId>:<base64>`),
 * `POST /plugins/<name>/deprecate {range, message}`, `POST /plugins/<name>/unpublish {version, force}`,
 * `PUT /plugins/<name>/dist-tags/<tag> {version}`, `DELETE /plugins/<name>/dist-tags/<tag>`.
 * Channels: `GET /channels`, `GET /channels/<channel>` (the head revision; ETag, 304 on If-None-Match),
 * `GET /channels/<channel>/revisions[/<n>]`, `GET /channels/<channel>/status`; with a bearer token:
 * `POST /channels/<channel>/deploy {requests}`, `POST /channels/<channel>/rollback {to?}`,
 * `PUT /channels/<channel>/hosts/<host>` (heartbeat), `POST /channels/<channel>/leases/<host>
 * {revision, maxUnavailable, leaseMs}` → `{answer}`, `POST /channels/<channel>/leases/<host>/release {failure?}`.
 */
import './errors.js';

export type { ArchiveLimits } from './archive/archive-limits.js';
export { DEFAULT_ARCHIVE_LIMITS } from './archive/archive-limits.js';
export { extractArchive } from './archive/extract-archive.js';
export { checkIntegrity, computeIntegrity } from './archive/integrity.js';
export type { PackedPlugin } from './archive/pack-plugin.js';
export { archiveFileName, packPlugin, packPluginTo } from './archive/pack-plugin.js';
export type { ArchiveFile, CheckedArchive } from './archive/read-archive.js';
export { readArchive } from './archive/read-archive.js';
export { safeExtract } from './archive/safe-extract.js';
export type { FileSignature } from './archive/sign-files.js';
export { keyIdOf, signFiles, verifyFiles } from './archive/sign-files.js';
export type { TarEntry } from './archive/write-tar.js';
export { writeTar, writeTgz } from './archive/write-tar.js';
export type {
  ChannelRegistry,
  ChannelStatus,
  ChannelSummary,
  LeaseRelease,
  LeaseRequest,
} from './channel/channel-registry.js';
export type { ChannelRevision } from './channel/channel-revision.js';
export { channelRevisionSchema, checkChannelName } from './channel/channel-revision.js';
export type { RevisionDraft } from './channel/channel-store.js';
export { ChannelStore, channelKeys } from './channel/channel-store.js';
export type { ChannelWriteOptions } from './channel/deploy-channel.js';
export { deployChannel, rollbackChannel } from './channel/deploy-channel.js';
export { StorageChannels } from './channel/storage-channels.js';
export { HttpChannels } from './client/http-channels.js';
export { HttpRegistryClient } from './client/http-registry-client.js';
export type { OpenRegistryOptions } from './client/open-registry.js';
export { isRegistryUrl, openLocalRegistry, openRegistry } from './client/open-registry.js';
export type {
  PluginInfo,
  PluginSummary,
  PublishOptions,
  RegistryClient,
  UnpublishOptions,
  VersionStatus,
} from './client/registry-client.js';
export { registryErrors } from './errors.js';
export type { ApplyChanges, FollowOptions, PassOutcome } from './follow/channel-follower.js';
export { ChannelFollower } from './follow/channel-follower.js';
export type { WatchOptions } from './follow/follow-channel.js';
export { followChannel } from './follow/follow-channel.js';
export type { HostReport, HostStatus } from './follow/host-report.js';
export { readHostReports } from './follow/host-report.js';
export type { PluginChanges } from './follow/install-plugin-set.js';
export { diffPluginSets } from './follow/install-plugin-set.js';
export type { RolloutState } from './follow/rollout-state.js';
export { readRolloutState } from './follow/rollout-state.js';
export type { RegistryToken } from './http/check-token.js';
export type { RegistryHandlerOptions } from './http/create-registry-handler.js';
export { createRegistryHandler } from './http/create-registry-handler.js';
export type { InstallOptions, InstallResult } from './install/install-plugins.js';
export { installFromLock, installPlugins, lockFileFor, parseRequest } from './install/install-plugins.js';
export type { LockFile } from './install/lock-file.js';
export { readLockFile } from './install/lock-file.js';
export type { InstallPolicy } from './install/stage-plugin.js';
export { pluginFolder } from './install/stage-plugin.js';
export { uninstallPlugin } from './install/uninstall-plugin.js';
export type { LocalRegistryOptions } from './local/local-registry.js';
export { LocalRegistry } from './local/local-registry.js';
export type { ScanFunction } from './local/prepare-publish.js';
export type { MigrateOptions, MigrateResult } from './migrate/migrate-registry.js';
export { migrateRegistry } from './migrate/migrate-registry.js';
export { pickVersion, sortDescending } from './resolve/pick-version.js';
export type { InstallRequest } from './resolve/resolve-closure.js';
export { resolveClosure } from './resolve/resolve-closure.js';
export { checkDistTag, checkPluginName, checkVersion } from './store/check-name.js';
export { FolderStorage } from './store/folder-storage.js';
export { isPostgresUrl, redactPostgresUrl } from './store/postgres/postgres-address.js';
export { PostgresStorage } from './store/postgres/postgres-storage.js';
export { closeSharedPools } from './store/postgres/shared-pool.js';
export type { RegistryConfig, RegistrySettings, TrustedKey } from './store/registry-config.js';
export { REGISTRY_FORMAT_VERSION, registryConfigSchema } from './store/registry-config.js';
export type { RegistryStorage, StagedWrite } from './store/registry-storage.js';
export type { VersionRecord } from './store/version-record.js';
export { versionRecordSchema } from './store/version-record.js';
