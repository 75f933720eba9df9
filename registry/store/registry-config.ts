import type { FromSchema } from 'json-schema-to-ts';
import { ModuError, parseYaml } from '../../kernel/index.js';
import { parseRegistryFile } from './parse-registry-file.js';

/** The registry format this code reads and writes. */
export const REGISTRY_FORMAT_VERSION = 1;

const trustedKey = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'publicKey'],
  properties: {
    id: { type: 'string', pattern: '^[a-f0-9]{16,64}$', description: 'the key id (hex)' },
    publicKey: { type: 'string', maxLength: 4096, description: 'an ed25519 public key in PEM' },
    name: { type: 'string', maxLength: 256 },
  },
} as const;

/** The JSON Schema of a trusted signing key (registry.yaml and host install policy). */
export const trustedKeySchema = trustedKey;

/** The JSON Schema of `<root>/registry.yaml`. */
export const registryConfigSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['formatVersion'],
  properties: {
    formatVersion: { const: 1 },
    settings: {
      type: 'object',
      additionalProperties: false,
      default: {},
      properties: {
        unpublishWindowHours: { type: 'number', minimum: 0, default: 72 },
        requireSignatures: { type: 'boolean', default: false },
        maxArchiveBytes: { type: 'integer', minimum: 1, default: 16 * 1024 * 1024 },
        maxUnpackedBytes: { type: 'integer', minimum: 1, default: 64 * 1024 * 1024 },
        maxEntries: { type: 'integer', minimum: 1, default: 10_000 },
        maxDepth: { type: 'integer', minimum: 1, default: 32 },
        maxCompressionRatio: { type: 'number', minimum: 1, default: 100 },
      },
    },
    trustedKeys: { type: 'array', items: trustedKey, default: [] },
  },
} as const;

/** A validated registry.yaml (defaults applied). */
export type RegistryConfig = FromSchema<typeof registryConfigSchema>;
/** A validated trusted key. */
export type TrustedKey = FromSchema<typeof trustedKey>;
/** The registry settings, every default applied. */
export type RegistrySettings = Required<NonNullable<RegistryConfig['settings']>>;

/** The comment heading registry.yaml: it names only what the registry folder itself holds. */
export const REGISTRY_FILE_HEADER =
  '# Modu registry: plugins/<name>/versions/<version>.yaml describe the published versions,\n' +
  '# plugins/<name>/archives/ hold their .tgz files, plugins/<name>/state.yaml their dist-tags and deprecations.\n';

/** The text of a new registry.yaml. */
export function defaultRegistryConfigText(): string {
  return `${REGISTRY_FILE_HEADER}formatVersion: ${REGISTRY_FORMAT_VERSION}\nsettings: {}\ntrustedKeys: []\n`;
}

/**
 * Parses registry.yaml, checking the format version first so that a newer registry is a clear error.
 *
 * @throws ModuError `MODU_REGISTRY_FORMAT_UNSUPPORTED`, `MODU_REGISTRY_FILE_INVALID`
 */
export function parseRegistryConfig(bytes: Uint8Array, file: string): RegistryConfig {
  const text = Buffer.from(bytes).toString('utf8');
  const raw = (() => {
    try {
      return parseYaml(text, file).value as { formatVersion?: unknown } | null;
    } catch {
      return null;
    }
  })();
  const format = raw?.formatVersion;
  if (typeof format === 'number' && format > REGISTRY_FORMAT_VERSION) {
    throw new ModuError(
      'MODU_REGISTRY_FORMAT_UNSUPPORTED',
      `${file} has formatVersion ${format}; this Modu reads format ${REGISTRY_FORMAT_VERSION} only.`,
      { details: { file, formatVersion: format } },
    );
  }
  return parseRegistryFile<RegistryConfig>(bytes, file, registryConfigSchema);
}
