import type { FromSchema } from 'json-schema-to-ts';

/** The JSON Schema of `plugins/<name>/state.yaml`: the only mutable file of a plugin, changed under its lock. */
export const pluginStateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    distTags: {
      type: 'object',
      default: {},
      propertyNames: { pattern: '^[a-z][a-z0-9-]{0,63}$' },
      additionalProperties: { type: 'string', format: 'semver' },
    },
    deprecated: {
      type: 'object',
      default: {},
      propertyNames: { format: 'semver' },
      additionalProperties: { type: 'string', minLength: 1, maxLength: 1024 },
    },
    unpublished: {
      type: 'object',
      default: {},
      propertyNames: { format: 'semver' },
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['at'],
        properties: { at: { type: 'string', format: 'date-time' }, by: { type: 'string' } },
      },
    },
  },
} as const;

type StateFile = FromSchema<typeof pluginStateSchema>;

/** A plugin's mutable state with every map present. */
export interface PluginState {
  distTags: Record<string, string>;
  deprecated: Record<string, string>;
  unpublished: Record<string, { at: string; by?: string }>;
}

/** Fills the maps a state file may leave out. */
export function normaliseState(file: StateFile | undefined): PluginState {
  return {
    distTags: { ...(file?.distTags ?? {}) },
    deprecated: { ...(file?.deprecated ?? {}) },
    unpublished: { ...(file?.unpublished ?? {}) },
  } as PluginState;
}
