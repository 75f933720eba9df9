import type { FromSchema } from 'json-schema-to-ts';
import { hookTimeoutsSchema } from '../lifecycle/hook-timeouts-schema.js';

const pluginName = {
  type: 'string',
  maxLength: 214,
  pattern: '^(@[a-z0-9][a-z0-9-]*/)?[a-z0-9][a-z0-9-]*$',
  description: "lowercase a-z 0-9 '-', optionally '@scope/name'",
} as const;

const semverRange = {
  type: 'string',
  format: 'semver-range',
  maxLength: 256,
  description: "a semver range such as '^1.2.0'",
} as const;

const dependencyMap = {
  type: 'object',
  propertyNames: pluginName,
  additionalProperties: semverRange,
} as const;

const exportName = { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$-]*$', maxLength: 128 } as const;

/**
 * The JSON Schema of `plugin.yaml`. It is the single source of the manifest: ajv compiles it once
 * and {@link PluginManifest} is derived from it.
 */
export const manifestSchema = {
  $id: 'https://modu.dev/schemas/plugin.json',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version', 'main', 'kernel'],
  properties: {
    name: pluginName,
    version: { type: 'string', format: 'semver', maxLength: 256, description: "a semver version such as '1.4.0'" },
    description: { type: 'string', maxLength: 1024 },
    keywords: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 32 },
    main: { type: 'string', pattern: '\\.(js|mjs|cjs)$', maxLength: 1024, description: 'a .js, .mjs or .cjs path' },
    kernel: semverRange,
    dependencies: dependencyMap,
    optionalDependencies: dependencyMap,
    permissions: {
      type: 'array',
      uniqueItems: true,
      items: { type: 'string', pattern: '^[a-z][a-z0-9_-]*:[A-Za-z0-9_./*-]+$|^[a-z][a-z0-9-]*$', maxLength: 128 },
    },
    exports: {
      type: 'object',
      additionalProperties: false,
      properties: {
        services: { type: 'array', uniqueItems: true, items: exportName },
        guards: { type: 'array', uniqueItems: true, items: exportName },
      },
    },
    routes: {
      type: 'object',
      additionalProperties: false,
      properties: {
        prefix: { type: 'string', pattern: '^/([A-Za-z0-9._~-]+(/[A-Za-z0-9._~-]+)*)?$', maxLength: 256 },
      },
    },
    timeouts: hookTimeoutsSchema,
    config: { type: 'object', description: 'a JSON Schema for the plugin config' },
  },
} as const;

/** A validated `plugin.yaml`. */
export type PluginManifest = FromSchema<typeof manifestSchema>;
