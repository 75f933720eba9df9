import semver from 'semver';
import { ModuError } from '../../kernel/index.js';
import type { RegistryClient } from '../client/registry-client.js';
import { checkPluginName } from '../store/check-name.js';
import type { VersionRecord } from '../store/version-record.js';

/** One plugin the user asked for. */
export interface InstallRequest {
  readonly name: string;
  /** A range, version or dist-tag; default `latest`. */
  readonly spec?: string;
}

interface Need {
  readonly name: string;
  readonly spec: string;
  readonly by: string;
  readonly optional: boolean;
}

function conflict(need: Need, chosen: string): ModuError {
  return new ModuError(
    'MODU_REGISTRY_DEPENDENCY_CONFLICT',
    `${need.by} needs ${need.name}@${need.spec} but ${need.name}@${chosen} is chosen.`,
    { details: { plugin: need.name, spec: need.spec, requiredBy: need.by, chosen } },
  );
}

function fits(version: string, spec: string): boolean {
  return semver.validRange(spec) !== null && semver.satisfies(version, spec, { includePrerelease: true });
}

/**
 * Resolves requests and their whole dependency closure (dependencies, plus optional dependencies
 * the registry has) to one version per plugin. `installed` versions that satisfy a dependency are
 * kept rather than fetched again.
 *
 * @throws ModuError `MODU_REGISTRY_DEPENDENCY_CONFLICT`, `MODU_REGISTRY_NAME_INVALID`, resolve codes
 */
export async function resolveClosure(
  registry: RegistryClient,
  requests: readonly InstallRequest[],
  installed: ReadonlyMap<string, string> = new Map(),
): Promise<Map<string, VersionRecord>> {
  const chosen = new Map<string, VersionRecord>();
  const queue: Need[] = requests.map((r) => ({
    name: checkPluginName(r.name),
    spec: r.spec ?? 'latest',
    by: 'the request',
    optional: false,
  }));
  for (let need = queue.shift(); need !== undefined; need = queue.shift()) {
    const picked = chosen.get(need.name);
    if (picked !== undefined) {
      if (need.by !== 'the request' && !fits(picked.version, need.spec)) throw conflict(need, picked.version);
      continue;
    }
    const have = installed.get(need.name);
    if (need.by !== 'the request' && have !== undefined && fits(have, need.spec)) continue;
    let record: VersionRecord;
    try {
      record = await registry.resolve(need.name, need.spec);
    } catch (error) {
      const absent = ModuError.is(error) && ['MODU_REGISTRY_NOT_FOUND', 'MODU_REGISTRY_NO_MATCH'].includes(error.code);
      if (need.optional && absent) continue;
      throw error;
    }
    chosen.set(need.name, record);
    const by = `${record.name}@${record.version}`;
    for (const [name, spec] of Object.entries(record.manifest.dependencies ?? {}))
      queue.push({ name, spec, by, optional: false });
    for (const [name, spec] of Object.entries(record.manifest.optionalDependencies ?? {})) {
      queue.push({ name, spec, by, optional: true });
    }
  }
  return chosen;
}

/**
 * Refuses a new choice that breaks a plugin already installed and kept: every kept plugin's
 * dependency ranges must still hold for the versions about to replace them.
 *
 * @throws ModuError `MODU_REGISTRY_DEPENDENCY_CONFLICT`
 */
export function checkKeptDependents(
  chosen: ReadonlyMap<string, VersionRecord>,
  kept: Readonly<
    Record<string, { readonly version: string; readonly dependencies?: Readonly<Record<string, string>> }>
  >,
): void {
  for (const [name, entry] of Object.entries(kept)) {
    if (chosen.has(name)) continue;
    for (const [dependency, spec] of Object.entries(entry.dependencies ?? {})) {
      const next = chosen.get(dependency);
      if (next !== undefined && !fits(next.version, spec)) {
        throw conflict(
          { name: dependency, spec, by: `${name}@${entry.version} (installed)`, optional: false },
          next.version,
        );
      }
    }
  }
}
