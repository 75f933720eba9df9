import { basename } from 'node:path';
import { pluginEnvVariables } from '../config/apply-env-overrides.js';
import type { HostConfig } from '../config/host-config-schema.js';
import { resolvePluginConfig } from '../config/plugin-config.js';
import { discoverPlugins } from '../discovery/discover-plugins.js';
import { type ErrorCode, ModuError } from '../errors/modu-error.js';
import { type DependencyGraph, loadsFirst, resolveGraph, skippedDependents } from '../graph/dependency-graph.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import { errorReport } from '../runtime/error-report.js';
import type { PluginPhase } from '../runtime/plugin-snapshot.js';
import type { BootReport } from './boot-report.js';

/** One plugin ready to load: its validated config and its capability grants. */
export interface PreparedPlugin {
  readonly config: Readonly<Record<string, unknown>>;
  readonly granted: readonly string[];
}

/** A plugin the plan can load: its package and its inputs. */
export interface PlannedPlugin {
  readonly pkg: PluginPackage;
  readonly prepared: PreparedPlugin;
}

/** A plugin the plan cannot load, and why: the phase, the error, and whether it failed or was skipped. */
export interface PlanProblem {
  readonly name: string;
  readonly root: string;
  /** Absent when the folder never gave a package (discovery or manifest failed). */
  readonly pkg: PluginPackage | undefined;
  readonly phase: PluginPhase;
  readonly error: ModuError;
  readonly to: 'failed' | 'skipped';
}

/** The outcome of discovery, validation and resolution: what loads, in which waves, with what, and what cannot. */
export interface BootPlan {
  readonly graph: DependencyGraph;
  readonly plugins: ReadonlyMap<string, PlannedPlugin>;
  readonly problems: readonly PlanProblem[];
  readonly ignored: BootReport['ignored'];
}

/** What preparing needs: where plugins are, the host config and the environment. */
export interface PrepareOptions {
  readonly pluginDirs: readonly string[];
  readonly config: HostConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Names the host configuration in messages (the modu.yaml path, or `createKernel options`). */
  readonly source: string;
  readonly kernelVersion: string;
  /** The scan cache folder, which also keeps validated manifests (see discoverPlugins). */
  readonly scanCache?: string;
  /**
   * Called, while discovery still reads the other folders, with each plugin the plan can only put in the first wave
   * (see loadsFirst) once its config is valid; the plan then holds the same planned plugin. The boot starts
   * loading it at once.
   */
  readonly onReady?: (planned: PlannedPlugin) => void;
  /** Packages whose folders need not be read again (see DiscoveryOptions.known). */
  readonly known?: readonly PluginPackage[];
}

function prepareOne(
  pkg: PluginPackage,
  options: PrepareOptions,
  variables: ReadonlyArray<readonly [string, string]>,
): PreparedPlugin {
  const section = options.config.plugins?.[pkg.manifest.name];
  const config = resolvePluginConfig(pkg.manifest, section?.config, variables, options.source);
  return { config, granted: section?.grants ?? [] };
}

const coded = (problem: { code: ErrorCode; message: string; details: Readonly<Record<string, unknown>> }) =>
  new ModuError(problem.code, problem.message, { details: problem.details });

/**
 * Discovers, validates and resolves every plugin, and changes nothing: the plan says which plugins can load (in
 * waves), which failed (phase `discover`, `validate` or `resolve`) and which are skipped for them. The code itself
 * is checked later, plugin by plugin, in the load pipeline.
 */
export async function preparePlugins(options: PrepareOptions): Promise<BootPlan> {
  const variables = pluginEnvVariables(options.env);
  const ready = new Map<PluginPackage, PlannedPlugin>();
  const { onReady } = options;
  const onPackage =
    onReady &&
    ((pkg: PluginPackage) => {
      if (!loadsFirst(pkg.manifest, options.kernelVersion)) return;
      let prepared: PreparedPlugin;
      try {
        prepared = prepareOne(pkg, options, variables);
      } catch {
        return; // reported with the others below
      }
      const planned = { pkg, prepared };
      ready.set(pkg, planned);
      onReady(planned);
    });
  const discovery = await discoverPlugins(options.pluginDirs, {
    ...(options.scanCache === undefined ? {} : { cacheDir: options.scanCache }),
    ...(onPackage === undefined ? {} : { onPackage }),
    ...(options.known === undefined ? {} : { known: new Map(options.known.map((pkg) => [pkg.root, pkg])) }),
  });
  const problems: PlanProblem[] = [];
  const ignored: Array<BootReport['ignored'][number]> = [];
  const names = new Set(discovery.packages.map((pkg) => pkg.manifest.name));
  for (const problem of discovery.problems) {
    if (problem.error.code === 'MODU_DISCOVERY_NOT_A_PLUGIN') {
      ignored.push({ folder: problem.folder, error: errorReport(problem.error) });
      continue;
    }
    // A duplicate keeps its folder as its name, so that the first copy's record stays intact.
    const candidate = problem.plugin ?? basename(problem.folder);
    const name = names.has(candidate) ? problem.folder : candidate;
    names.add(name);
    const phase = problem.error.code === 'MODU_DISCOVERY_DUPLICATE_NAME' ? 'discover' : 'validate';
    problems.push({ name, root: problem.folder, pkg: undefined, phase, error: problem.error, to: 'failed' });
  }
  const plugins = new Map<string, PlannedPlugin>();
  const invalid: string[] = [];
  for (const pkg of discovery.packages) {
    const { name } = pkg.manifest;
    try {
      plugins.set(name, ready.get(pkg) ?? { pkg, prepared: prepareOne(pkg, options, variables) });
    } catch (error) {
      if (!ModuError.is(error)) throw error;
      problems.push({ name, root: pkg.root, pkg, phase: 'validate', error, to: 'failed' });
      invalid.push(name);
    }
  }
  const graph = resolveGraph(
    discovery.packages.map(({ manifest }) => manifest),
    options.kernelVersion,
  );
  const cannot = (name: string, error: ModuError, to: PlanProblem['to']) => {
    const planned = plugins.get(name);
    if (planned === undefined) return;
    plugins.delete(name);
    problems.push({ name, root: planned.pkg.root, pkg: planned.pkg, phase: 'resolve', error, to });
  };
  for (const [name, problem] of graph.blocked) {
    cannot(name, coded(problem), problem.code === 'MODU_GRAPH_DEPENDENCY_FAILED' ? 'skipped' : 'failed');
  }
  for (const [name, problem] of skippedDependents(invalid, graph.dependents)) cannot(name, coded(problem), 'skipped');
  return { graph, plugins, problems, ignored };
}
