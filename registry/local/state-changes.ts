import semver from 'semver';
import { ModuError } from '../../kernel/index.js';
import { pickVersion } from '../resolve/pick-version.js';
import type { PluginState } from '../store/plugin-state.js';

/** Sets (or, with an empty message, clears) the deprecation of every version in `range`; returns them sorted. */
export function deprecateRange(
  name: string,
  state: PluginState,
  versions: readonly string[],
  range: string,
  message: string,
): string[] {
  if (semver.validRange(range) === null) pickVersion(name, versions, state, range);
  const changed = versions.filter((v) => semver.satisfies(v, range, { includePrerelease: true }));
  if (changed.length === 0) {
    throw new ModuError('MODU_REGISTRY_NO_MATCH', `No version of ${name} is in ${range}.`, {
      details: { plugin: name, spec: range },
    });
  }
  for (const v of changed) {
    if (message === '') delete state.deprecated[v];
    else state.deprecated[v] = message;
  }
  return changed.sort(semver.compare);
}

/** Marks a version unpublished and drops the dist-tags that pointed at it. */
export function markUnpublished(state: PluginState, version: string, at: Date, actor: string | undefined): void {
  state.unpublished[version] = { at: at.toISOString(), ...(actor === undefined ? {} : { by: actor }) };
  for (const [tag, tagged] of Object.entries(state.distTags)) if (tagged === version) delete state.distTags[tag];
}

/** Refuses to serve an unpublished version. @throws ModuError `MODU_REGISTRY_VERSION_UNPUBLISHED` */
export function checkNotUnpublished(name: string, version: string, state: PluginState): void {
  if (state.unpublished[version] !== undefined) {
    throw new ModuError('MODU_REGISTRY_VERSION_UNPUBLISHED', `${name}@${version} was unpublished.`, {
      details: { plugin: name, version },
    });
  }
}
