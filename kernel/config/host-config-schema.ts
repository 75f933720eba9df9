import type { FromSchema } from 'json-schema-to-ts';
import { isolationSchema, limitsSchema } from '../isolation/isolation-schema.js';
import { hookTimeoutsSchema } from '../lifecycle/hook-timeouts-schema.js';

/**
 * The JSON Schema of a host's configuration: `modu.yaml`, `createKernel()` options, and the
 * MODU_* environment overrides all pass it.
 */
export const hostConfigSchema = {
  $id: 'https://modu.dev/schemas/modu.json',
  type: 'object',
  additionalProperties: false,
  properties: {
    pluginDirs: {
      type: 'array',
      minItems: 1,
      items: { type: 'string', minLength: 1 },
      description: 'folders holding plugin folders, relative to modu.yaml',
    },
    adapter: { type: 'string', enum: ['express', 'koa'] },
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    concurrency: { type: 'integer', minimum: 1, maximum: 256, description: 'plugins loading at once per wave' },
    timeouts: hookTimeoutsSchema,
    bodyLimitBytes: { type: 'integer', minimum: 0 },
    endpoints: {
      type: 'object',
      additionalProperties: false,
      properties: {
        prefix: { type: 'string', pattern: '^/[A-Za-z0-9._~/-]*$' },
        adminToken: { type: 'string', minLength: 16, description: 'a secret of at least 16 characters' },
      },
    },
    cacheDir: { type: 'string', minLength: 1, description: 'where scan results are cached, relative to modu.yaml' },
    registry: { type: 'string', minLength: 1, description: 'a registry folder, URL or postgres:// address' },
    isolation: isolationSchema,
    limits: limitsSchema,
    dataDir: {
      type: 'string',
      minLength: 1,
      description: 'where isolated plugins granted node:fs write (one folder each), relative to modu.yaml',
    },
    plugins: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        properties: {
          required: { type: 'boolean', description: 'boot fails when this plugin fails' },
          grants: { type: 'array', uniqueItems: true, items: { type: 'string' } },
          timeouts: hookTimeoutsSchema,
          config: { type: 'object' },
          isolation: isolationSchema,
          limits: limitsSchema,
        },
      },
    },
  },
} as const;

/** A validated host configuration. */
export type HostConfig = FromSchema<typeof hostConfigSchema>;

/** One plugin's section of the host configuration. */
export type PluginHostConfig = NonNullable<HostConfig['plugins']>[string];
