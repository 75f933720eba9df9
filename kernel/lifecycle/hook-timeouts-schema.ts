/** The JSON Schema of per-hook timeouts in milliseconds, shared by plugin.yaml and modu.yaml. */
export const hookTimeoutsSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'milliseconds per lifecycle hook',
  properties: {
    onLoad: { type: 'integer', minimum: 1 },
    onStart: { type: 'integer', minimum: 1 },
    onStop: { type: 'integer', minimum: 1 },
    onUnload: { type: 'integer', minimum: 1 },
  },
} as const;
