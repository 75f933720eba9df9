import type { FromSchema } from 'json-schema-to-ts';
import type { PluginManifest } from '../../kernel/index.js';

const integrity = {
  type: 'string',
  pattern: '^sha512-[A-Za-z0-9+/]+={0,2}$',
  description: 'an SRI sha512 string',
} as const;

/** The JSON Schema of `plugins/<name>/versions/<version>.yaml` (immutable once written). */
export const versionRecordSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'manifest', 'integrity', 'size', 'files', 'scan', 'publishedAt'],
  properties: {
    name: { type: 'string', maxLength: 214 },
    version: { type: 'string', format: 'semver' },
    manifest: { type: 'object', description: 'the plugin.yaml, as published' },
    integrity,
    size: { type: 'integer', minimum: 0 },
    files: { type: 'integer', minimum: 0 },
    signature: {
      type: 'object',
      additionalProperties: false,
      required: ['algorithm', 'keyId', 'value'],
      properties: {
        algorithm: { const: 'ed25519' },
        keyId: { type: 'string', pattern: '^[a-f0-9]{16,64}$' },
        value: { type: 'string', pattern: '^[A-Za-z0-9+/]+={0,2}$' },
      },
    },
    scan: {
      type: 'object',
      additionalProperties: false,
      required: ['status'],
      properties: {
        status: { enum: ['passed', 'warnings', 'skipped'] },
        reason: { type: 'string' },
        contentHash: { type: 'string' },
        findings: { type: 'integer', minimum: 0 },
        capabilities: { type: 'array', items: { type: 'string' } },
      },
    },
    publishedAt: { type: 'string', format: 'date-time' },
    publisher: { type: 'string', maxLength: 128 },
  },
} as const;

/** One published version as stored; `manifest` is the validated plugin.yaml. */
export type VersionRecord = Omit<FromSchema<typeof versionRecordSchema>, 'manifest'> & {
  readonly manifest: PluginManifest;
};

/** The SRI pattern shared by records and the lock file. */
export const integritySchema = integrity;
