import type { FromSchema } from 'json-schema-to-ts';

/** The JSON Schema of the isolation tier: `none` runs a plugin in the host, `process` in a child process of its own. */
export const isolationSchema = {
  type: 'string',
  enum: ['none', 'process'],
  description: 'none: in the host process (trusted code); process: a child process under the permission model',
} as const;

/** The JSON Schema of an isolated plugin's limits, enforced by the host from outside its process. */
export const limitsSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'limits of an isolated plugin, enforced from outside its process',
  properties: {
    memoryMb: { type: 'integer', minimum: 16, description: 'heap cap of the plugin process (--max-old-space-size)' },
    requestTimeoutMs: {
      type: 'integer',
      minimum: 1,
      description: 'a route call across the boundary (then 504), and each wait for the next chunk of a stream',
    },
    callTimeoutMs: { type: 'integer', minimum: 1, description: 'a service or guard call across the boundary' },
    restarts: { type: 'integer', minimum: 0, description: 'crashes tolerated within restartWindowMs' },
    restartWindowMs: { type: 'integer', minimum: 1 },
    backoffMs: { type: 'integer', minimum: 0, description: 'first restart delay, doubled per crash in the window' },
  },
} as const;

/** The isolation tier of a plugin. */
export type IsolationTier = FromSchema<typeof isolationSchema>;

/** Limits as written in a host config. */
export type IsolationLimits = FromSchema<typeof limitsSchema>;

/** Limits with every default applied. */
export type ResolvedLimits = Required<IsolationLimits>;

/** Modu's defaults, overridden by the host's `limits`, then by `plugins.<name>.limits`. */
export const defaultLimits: ResolvedLimits = {
  memoryMb: 256,
  requestTimeoutMs: 30_000,
  callTimeoutMs: 30_000,
  restarts: 3,
  restartWindowMs: 60_000,
  backoffMs: 200,
};
