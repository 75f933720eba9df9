import type { FromSchema } from 'json-schema-to-ts';
import { stringify } from 'yaml';
import { parseRegistryFile } from '../store/parse-registry-file.js';
import type { RegistryStorage } from '../store/registry-storage.js';

/** The JSON Schema of `channels/<channel>/hosts/<host>.yaml`: one following host's last heartbeat. */
export const hostReportSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['host', 'channel', 'revision', 'health', 'at', 'expiresAt'],
  properties: {
    host: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,128}$' },
    channel: { type: 'string' },
    /** The revision the host serves (0 before its first). */
    revision: { type: 'integer', minimum: 0 },
    health: { enum: ['healthy', 'applying', 'failed', 'waiting'] },
    target: { type: 'integer', minimum: 0, description: 'the revision being applied or waited for' },
    error: { type: 'string', maxLength: 4096 },
    url: { type: 'string', maxLength: 512 },
    at: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** One host's heartbeat. */
export type HostReport = FromSchema<typeof hostReportSchema>;

/** A heartbeat as `modu channel status` shows it. */
export type HostStatus = HostReport & { readonly expired: boolean };

const hostsKey = (channel: string) => `channels/${channel}/hosts`;

/** Replaces the host's heartbeat (only that host writes its key, so no lock is needed). */
export async function writeHostReport(storage: RegistryStorage, report: HostReport): Promise<void> {
  await storage.replace(`${hostsKey(report.channel)}/${report.host}.yaml`, Buffer.from(stringify(report)));
}

/** Every host's last heartbeat, sorted by host, each marked expired when its expiry has passed. */
export async function readHostReports(
  storage: RegistryStorage,
  channel: string,
  now = Date.now(),
): Promise<HostStatus[]> {
  const reports: HostStatus[] = [];
  for (const name of (await storage.list(hostsKey(channel))).filter((n) => n.endsWith('.yaml')).sort()) {
    const key = `${hostsKey(channel)}/${name}`;
    const bytes = await storage.read(key);
    if (bytes === undefined) continue;
    const report = parseRegistryFile<HostReport>(bytes, `${storage.location}/${key}`, hostReportSchema);
    reports.push({ ...report, expired: Date.parse(report.expiresAt) < now });
  }
  return reports;
}
