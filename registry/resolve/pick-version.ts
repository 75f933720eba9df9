import semver, { Range, SemVer } from 'semver';
import { ModuError } from '../../kernel/index.js';
import type { PluginState } from '../store/plugin-state.js';

const parsed = new Map<string, SemVer>();

// Version strings are immutable file names: parsing each once per process keeps resolve O(n) cheap tests.
function parse(version: string): SemVer | undefined {
  let found = parsed.get(version);
  if (found === undefined && semver.valid(version) === version) {
    found = new SemVer(version);
    if (parsed.size > 200_000) parsed.clear();
    parsed.set(version, found);
  }
  return found;
}

function highest(versions: readonly string[], accept: (v: SemVer) => boolean): string | undefined {
  let best: SemVer | undefined;
  for (const version of versions) {
    const v = parse(version);
    if (v !== undefined && (best === undefined || v.compare(best) > 0) && accept(v)) best = v;
  }
  return best?.version;
}

function noMatch(name: string, spec: string): ModuError {
  return new ModuError('MODU_REGISTRY_NO_MATCH', `no installable version of ${name} satisfies ${spec}`, {
    details: { plugin: name, spec },
  });
}

/** The version `latest` means: the explicit tag, else the highest live, not deprecated, stable version. */
export function latestVersion(versions: readonly string[], state: PluginState): string | undefined {
  const tagged = state.distTags.latest;
  if (tagged !== undefined && versions.includes(tagged) && state.unpublished[tagged] === undefined) return tagged;
  const live = (v: SemVer) => state.unpublished[v.version] === undefined && state.deprecated[v.version] === undefined;
  return highest(versions, (v) => live(v) && v.prerelease.length === 0) ?? highest(versions, live);
}

/**
 * Picks the version a spec means among `versions` (file names): a dist-tag, an exact version (served
 * even when deprecated), or a range (the highest satisfying version neither deprecated nor unpublished).
 *
 * @throws ModuError `MODU_REGISTRY_NO_MATCH`, `MODU_REGISTRY_VERSION_NOT_FOUND`, `MODU_REGISTRY_VERSION_UNPUBLISHED`, `MODU_REGISTRY_VERSION_INVALID`
 * @example pickVersion('users', ['1.0.0', '1.2.0'], state, '^1.0.0') // '1.2.0'
 */
export function pickVersion(name: string, versions: readonly string[], state: PluginState, spec = 'latest'): string {
  if (semver.valid(spec) === spec) {
    if (!versions.includes(spec)) {
      throw new ModuError('MODU_REGISTRY_VERSION_NOT_FOUND', `${name}@${spec} is not published`, {
        details: { plugin: name, version: spec },
      });
    }
    if (state.unpublished[spec] !== undefined) {
      throw new ModuError('MODU_REGISTRY_VERSION_UNPUBLISHED', `${name}@${spec} was unpublished`, {
        details: { plugin: name, version: spec },
      });
    }
    return spec;
  }
  if (spec === 'latest') {
    const latest = latestVersion(versions, state);
    if (latest === undefined) throw noMatch(name, spec);
    return latest;
  }
  if (/^[a-z][a-z0-9-]*$/.test(spec) && semver.validRange(spec) === null) {
    const tagged = state.distTags[spec];
    if (tagged === undefined || state.unpublished[tagged] !== undefined) throw noMatch(name, `dist-tag ${spec}`);
    return tagged;
  }
  let range: Range;
  try {
    range = new Range(spec);
  } catch (cause) {
    throw new ModuError('MODU_REGISTRY_VERSION_INVALID', `${JSON.stringify(spec)} is not a semver range or dist-tag`, {
      details: { plugin: name, spec },
      cause,
    });
  }
  const found = highest(
    versions,
    (v) => state.unpublished[v.version] === undefined && state.deprecated[v.version] === undefined && range.test(v),
  );
  if (found === undefined) throw noMatch(name, spec);
  return found;
}
