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

/** Sorts version strings from highest to lowest (invalid ones dropped); pass the result with `sorted`. */
export function sortDescending(versions: readonly string[]): string[] {
  const parsedVersions = versions.map(parse).filter((v): v is SemVer => v !== undefined);
  return parsedVersions.sort((a, b) => b.compare(a)).map((v) => v.version);
}

function highest(versions: readonly string[], accept: (v: SemVer) => boolean, sorted: boolean): string | undefined {
  let best: SemVer | undefined;
  for (const version of versions) {
    if (sorted) {
      const v = parse(version);
      if (v !== undefined && accept(v)) return v.version;
      continue;
    }
    const v = parse(version);
    if (v !== undefined && (best === undefined || v.compare(best) > 0) && accept(v)) best = v;
  }
  return best?.version;
}

/** The highest bound a range allows (undefined when some alternative is unbounded): a cheap pre-check. */
function ceiling(range: Range): SemVer | undefined {
  let top: SemVer | undefined;
  for (const set of range.set) {
    const bound = set.find((c) => c.operator === '<' || c.operator === '<=')?.semver;
    if (!(bound instanceof SemVer)) return undefined;
    if (top === undefined || bound.compare(top) > 0) top = bound;
  }
  return top;
}

function noMatch(name: string, spec: string): ModuError {
  return new ModuError('MODU_REGISTRY_NO_MATCH', `No installable version of ${name} satisfies ${spec}.`, {
    details: { plugin: name, spec },
  });
}

/** The version `latest` means: the explicit tag, else the highest live, not deprecated, stable version. */
export function latestVersion(versions: readonly string[], state: PluginState, sorted = false): string | undefined {
  const tagged = state.distTags.latest;
  if (tagged !== undefined && versions.includes(tagged) && state.unpublished[tagged] === undefined) return tagged;
  const live = (v: SemVer) => state.unpublished[v.version] === undefined && state.deprecated[v.version] === undefined;
  return highest(versions, (v) => live(v) && v.prerelease.length === 0, sorted) ?? highest(versions, live, sorted);
}

/**
 * Picks the version a spec means among `versions` (file names): a dist-tag, an exact version (served
 * even when deprecated), or a range (the highest satisfying version neither deprecated nor unpublished).
 *
 * @throws ModuError `MODU_REGISTRY_NO_MATCH`, `MODU_REGISTRY_VERSION_NOT_FOUND`, `MODU_REGISTRY_VERSION_UNPUBLISHED`, `MODU_REGISTRY_VERSION_INVALID`
 * `sorted`: `versions` come from {@link sortDescending}, so the first match is the answer.
 *
 * @example pickVersion('users', ['1.0.0', '1.2.0'], state, '^1.0.0') // '1.2.0'
 */
export function pickVersion(
  name: string,
  versions: readonly string[],
  state: PluginState,
  spec = 'latest',
  sorted = false,
): string {
  if (semver.valid(spec) === spec) {
    if (!versions.includes(spec)) {
      throw new ModuError('MODU_REGISTRY_VERSION_NOT_FOUND', `${name}@${spec} is not published.`, {
        details: { plugin: name, version: spec },
      });
    }
    if (state.unpublished[spec] !== undefined) {
      throw new ModuError('MODU_REGISTRY_VERSION_UNPUBLISHED', `${name}@${spec} was unpublished.`, {
        details: { plugin: name, version: spec },
      });
    }
    return spec;
  }
  if (spec === 'latest') {
    const latest = latestVersion(versions, state, sorted);
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
    throw new ModuError('MODU_REGISTRY_VERSION_INVALID', `${JSON.stringify(spec)} is not a semver range or dist-tag.`, {
      details: { plugin: name, spec },
      cause,
    });
  }
  const top = ceiling(range);
  const found = highest(
    versions,
    (v) =>
      (top === undefined || v.compare(top) <= 0) &&
      state.unpublished[v.version] === undefined &&
      state.deprecated[v.version] === undefined &&
      range.test(v),
    sorted,
  );
  if (found === undefined) throw noMatch(name, spec);
  return found;
}
