import type { FromSchema } from 'json-schema-to-ts';
import { stringify } from 'yaml';
import { parseRegistryFile } from '../store/parse-registry-file.js';
import type { RegistryStorage } from '../store/registry-storage.js';

/** The JSON Schema of `channels/<channel>/rollout.yaml`: apply leases and where a rollout halted. */
export const rolloutStateSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    leases: {
      type: 'object',
      default: {},
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['revision', 'expiresAt'],
        properties: { revision: { type: 'integer' }, expiresAt: { type: 'string', format: 'date-time' } },
      },
    },
    halted: {
      type: 'object',
      additionalProperties: false,
      required: ['revision', 'host', 'error', 'at'],
      properties: {
        revision: { type: 'integer' },
        host: { type: 'string' },
        error: { type: 'string' },
        at: { type: 'string', format: 'date-time' },
      },
    },
  },
} as const;

/** A channel's rollout: who is applying now, and the revision whose apply failed somewhere. */
export type RolloutState = FromSchema<typeof rolloutStateSchema>;

/** What a host asking to apply a revision is told. */
export type LeaseAnswer = 'granted' | 'busy' | 'halted';

const key = (channel: string) => `channels/${channel}/rollout.yaml`;

async function change<T>(storage: RegistryStorage, channel: string, fn: (state: RolloutState) => T): Promise<T> {
  return storage.withLock(`channels/${channel}`, async () => {
    const bytes = await storage.read(key(channel));
    const state: RolloutState =
      bytes === undefined
        ? { leases: {} }
        : parseRegistryFile(bytes, `${storage.location}/${key(channel)}`, rolloutStateSchema);
    const leases = { ...(state.leases ?? {}) };
    for (const [host, lease] of Object.entries(leases))
      if (Date.parse(lease.expiresAt) < Date.now()) delete leases[host];
    const next: RolloutState = { ...state, leases };
    const result = fn(next);
    await storage.replace(key(channel), Buffer.from(stringify(next)));
    return result;
  });
}

/** The rollout state as stored (leases past their expiry included). */
export async function readRolloutState(storage: RegistryStorage, channel: string): Promise<RolloutState> {
  const bytes = await storage.read(key(channel));
  return bytes === undefined
    ? { leases: {} }
    : parseRegistryFile(bytes, `${storage.location}/${key(channel)}`, rolloutStateSchema);
}

/**
 * Asks to apply `revision`: granted while fewer than `maxUnavailable` unexpired leases are held, refused
 * with `halted` when that revision's rollout halted at a failed host. Leases expire by themselves, so a
 * host that dies mid-apply blocks nobody for longer than `leaseMs`.
 */
export function acquireLease(
  storage: RegistryStorage,
  lease: { channel: string; host: string; revision: number; maxUnavailable: number; leaseMs: number },
): Promise<LeaseAnswer> {
  return change(storage, lease.channel, (state) => {
    if (state.halted !== undefined && state.halted.revision === lease.revision) return 'halted';
    const leases = state.leases ?? {};
    const others = Object.keys(leases).filter((host) => host !== lease.host);
    if (others.length >= lease.maxUnavailable) return 'busy';
    leases[lease.host] = { revision: lease.revision, expiresAt: new Date(Date.now() + lease.leaseMs).toISOString() };
    return 'granted';
  });
}

/** Gives the lease back; with `failure`, halts the rollout of that revision here. */
export async function releaseLease(
  storage: RegistryStorage,
  release: { channel: string; host: string; failure?: { revision: number; error: string } },
): Promise<void> {
  await change(storage, release.channel, (state) => {
    delete state.leases?.[release.host];
    if (release.failure !== undefined) {
      state.halted = { ...release.failure, host: release.host, at: new Date().toISOString() };
    }
  });
}
