import type { FromSchema } from 'json-schema-to-ts';
import { ModuError } from '../../kernel/index.js';
import { lockFileSchema } from '../install/lock-file.js';

const CHANNEL = /^[a-z][a-z0-9-]{0,63}$/;

/** The JSON Schema of `channels/<channel>/revisions/<n>.yaml`: one immutable revision, a lock document. */
export const channelRevisionSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['channel', 'revision', 'createdAt', 'reason', 'requested', 'plugins'],
  properties: {
    channel: { type: 'string', pattern: CHANNEL.source },
    revision: { type: 'integer', minimum: 1 },
    createdAt: { type: 'string', format: 'date-time' },
    actor: { type: 'string', maxLength: 128 },
    reason: { enum: ['deploy', 'rollback'] },
    rollbackTo: { type: 'integer', minimum: 1 },
    requested: { type: 'array', items: { type: 'string', maxLength: 512 } },
    plugins: lockFileSchema.properties.plugins,
  },
} as const;

/** One revision of a channel: the exact plugin set (name → version, integrity) hosts following it run. */
export type ChannelRevision = FromSchema<typeof channelRevisionSchema>;

/** Checks a channel name (lowercase, like a dist-tag). @throws ModuError `MODU_REGISTRY_CHANNEL_NAME_INVALID` */
export function checkChannelName(name: unknown): string {
  if (typeof name !== 'string' || !CHANNEL.test(name)) {
    throw new ModuError('MODU_REGISTRY_CHANNEL_NAME_INVALID', `Channel name ${JSON.stringify(name)} is not allowed.`, {
      details: { channel: String(name) },
    });
  }
  return name;
}
