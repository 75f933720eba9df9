import semver from 'semver';
import { ModuError } from '../../kernel/index.js';
import type { PluginState } from '../store/plugin-state.js';
import type { RegistrySettings } from '../store/registry-config.js';
import type { VersionRecord } from '../store/version-record.js';
import { listPluginNames } from './list-plugin-names.js';
import type { LocalRegistry } from './local-registry.js';

function refused(record: VersionRecord, reason: string, details: Record<string, unknown> = {}): ModuError {
  return new ModuError(
    'MODU_REGISTRY_UNPUBLISH_REFUSED',
    `Cannot unpublish ${record.name}@${record.version}: ${reason}`,
    {
      details: { plugin: record.name, version: record.version, ...details },
    },
  );
}

async function neededBy(
  registry: LocalRegistry,
  record: VersionRecord,
  others: readonly string[],
): Promise<string | undefined> {
  for (const name of await listPluginNames(registry.storage)) {
    if (name === record.name) continue;
    const state = await registry.state(name);
    for (const version of await registry.versionNames(name)) {
      if (state.unpublished[version] !== undefined) continue;
      const { manifest } = await registry.version(name, version);
      const range = manifest.dependencies?.[record.name];
      if (range === undefined || !semver.satisfies(record.version, range)) continue;
      if (!others.some((other) => semver.satisfies(other, range))) return `${name}@${version} (${range})`;
    }
  }
  return undefined;
}

/**
 * The unpublish policy. A version may be unpublished only within `unpublishWindowHours` of its
 * publish (`force` lifts this), and never while a live version of another plugin depends on it with
 * a range no other live version satisfies (`force` does not lift this: installs must not break).
 *
 * @throws ModuError `MODU_REGISTRY_UNPUBLISH_REFUSED`, `MODU_REGISTRY_VERSION_UNPUBLISHED`
 */
export async function checkUnpublish(
  registry: LocalRegistry,
  record: VersionRecord,
  state: PluginState,
  policy: { readonly settings: RegistrySettings; readonly now: Date; readonly force: boolean },
): Promise<void> {
  if (state.unpublished[record.version] !== undefined) {
    throw new ModuError(
      'MODU_REGISTRY_VERSION_UNPUBLISHED',
      `${record.name}@${record.version} was already unpublished.`,
      {
        details: { plugin: record.name, version: record.version },
      },
    );
  }
  const ageHours = (policy.now.getTime() - Date.parse(record.publishedAt)) / 3_600_000;
  if (!policy.force && ageHours > policy.settings.unpublishWindowHours) {
    throw refused(
      record,
      `it was published ${Math.floor(ageHours)} h ago, past the ${policy.settings.unpublishWindowHours} h window`,
      {
        ageHours,
      },
    );
  }
  const others = (await registry.versionNames(record.name)).filter(
    (v) => v !== record.version && state.unpublished[v] === undefined,
  );
  const dependent = await neededBy(registry, record, others);
  if (dependent !== undefined)
    throw refused(record, `${dependent} needs it and no other version satisfies that`, { dependent });
}
