/** Bounds every archive read must stay inside; registry.yaml `settings` may change them. */
export interface ArchiveLimits {
  /** Compressed size. */
  readonly maxArchiveBytes: number;
  /** Sum of the file sizes. */
  readonly maxUnpackedBytes: number;
  readonly maxEntries: number;
  /** Path segments per entry. */
  readonly maxDepth: number;
  /** Uncompressed ÷ compressed size, checked once the tar passes 1 MiB. */
  readonly maxCompressionRatio: number;
}

/** The defaults, equal to those of a new registry.yaml. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 16 * 1024 * 1024,
  maxUnpackedBytes: 64 * 1024 * 1024,
  maxEntries: 10_000,
  maxDepth: 32,
  maxCompressionRatio: 100,
};
