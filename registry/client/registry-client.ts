import type { FileSignature } from '../archive/sign-files.js';
import type { VersionRecord } from '../store/version-record.js';

/** One line of a list or search. */
export interface PluginSummary {
  readonly name: string;
  /** The version `latest` resolves to; absent when every version is unpublished or deprecated. */
  readonly latest?: string;
  readonly description?: string;
  readonly keywords?: readonly string[];
}

/** One version as `info` shows it. */
export interface VersionStatus {
  readonly version: string;
  readonly deprecated?: string;
  readonly unpublished?: boolean;
}

/** Everything a registry knows about one plugin, without reading every version file. */
export interface PluginInfo extends PluginSummary {
  /** Ascending semver order. */
  readonly versions: readonly VersionStatus[];
  readonly distTags: Readonly<Record<string, string>>;
}

/** Options of one publish. */
export interface PublishOptions {
  /** An ed25519 private key (PEM) to sign with, on the publisher's side. */
  readonly signingKey?: string;
  /** A signature made elsewhere (the HTTP client signs before uploading). */
  readonly signature?: FileSignature;
  /** A dist-tag to point at the new version (besides the derived `latest`). */
  readonly tag?: string;
  /** Who publishes (a token id), recorded in the version file. */
  readonly actor?: string;
}

/** Options of an unpublish. */
export interface UnpublishOptions {
  /** Ignore the time window. Dependents still block: nothing installable is ever broken. */
  readonly force?: boolean;
  readonly actor?: string;
}

/**
 * The same registry operations whether the registry is a folder or an HTTP server
 * (see `openRegistry`).
 */
export interface RegistryClient {
  /** The folder path or URL. */
  readonly location: string;
  list(): Promise<PluginSummary[]>;
  search(query: string): Promise<PluginSummary[]>;
  info(name: string): Promise<PluginInfo>;
  /** Installable versions (not unpublished), ascending. */
  versions(name: string): Promise<string[]>;
  distTags(name: string): Promise<Record<string, string>>;
  /** The stored record of one version. */
  version(name: string, version: string): Promise<VersionRecord>;
  /** A range (`^1.2.0`), an exact version or a dist-tag (default `latest`) to the record it picks. */
  resolve(name: string, spec?: string): Promise<VersionRecord>;
  download(name: string, version: string): Promise<Buffer>;
  publish(archive: Uint8Array, options?: PublishOptions): Promise<VersionRecord>;
  /** Marks every version in `range` deprecated (an empty message clears it); resolves to those versions. */
  deprecate(name: string, range: string, message: string, actor?: string): Promise<string[]>;
  unpublish(name: string, version: string, options?: UnpublishOptions): Promise<void>;
  addDistTag(name: string, tag: string, version: string, actor?: string): Promise<void>;
  removeDistTag(name: string, tag: string, actor?: string): Promise<void>;
}
