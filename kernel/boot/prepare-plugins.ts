import { basename } from 'node:path';
import { pluginEnvVariables } from '../config/apply-env-overrides.js';
import type { HostConfig } from '../config/host-config-schema.js';
import { resolvePluginConfig } from '../config/plugin-config.js';
import { discoverPlugins } from '../discovery/discover-plugins.js';
import { ModuError } from '../errors/modu-error.js';
import { type DependencyGraph, loadsFirst, resolveGraph, skippedDependents } from '../graph/dependency-graph.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import { errorReport } from '../runtime/error-report.js';
import type { PluginRecord } from '../runtime/plugin-record.js';
import type { PluginTable } from '../runtime/plugin-table.js';
import type { BootReport } from './boot-report.js';

/** One plugin ready to load: its validated config and its capability grants. */
export interface PreparedPlugin {
  readonly config: Readonly<Record<string, unknown>>;
  readonly granted: readonly string[];
}

/** The outcome of discovery, validation and resolution: what loads, in which waves, with what. */
export interface BootPlan {
  readonly graph: DependencyGraph;
  readonly prepared: ReadonlyMap<string, PreparedPlugin>;
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
  /** Prepares only these plugins, leaving every other record as it is (load and reload). */
  readonly only?: ReadonlySet<string>;
  /**
   * Called, while discovery still reads the other folders, with each plugin the plan can only put in the first wave
   * (see loadsFirst) once its config is valid: its record, already in the table and kept there, and its inputs. The
   * boot starts loading it at once.
   */
  readonly onReady?: (record: PluginRecord, prepared: PreparedPlugin) => void;
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

/**
 * Discovers, validates and resolves every plugin into the table: invalid ones are `failed` (phase
 * `validate` or `resolve`), those depending on them `skipped`, and the rest planned in waves. The code
 * itself is checked later, plugin by plugin, ahead of its import (see PluginLifecycle), so that scanning
 * overlaps with the waves.
 */
export async function preparePlugins(table: PluginTable, options: PrepareOptions): Promise<BootPlan> {
  const touch = (name: string | undefined) =>
    options.only === undefined || (name !== undefined && options.only.has(name));
  const required = (name: string) => options.config.plugins?.[name]?.required === true;
  const add = (pkg: PluginPackage) => table.add(pkg.manifest.name, pkg.root, pkg, required(pkg.manifest.name));
  const variables = pluginEnvVariables(options.env);
  const ready = new Map<string, { record: PluginRecord; prepared: PreparedPlugin }>();
  const { onReady } = options;
  const onPackage =
    onReady &&
    ((pkg: PluginPackage) => {
      if (!touch(pkg.manifest.name) || !loadsFirst(pkg.manifest, options.kernelVersion)) return;
      let prepared: PreparedPlugin;
      try {
        prepared = prepareOne(pkg, options, variables);
      } catch {
        return; // reported with the others below
      }
      const record = add(pkg);
      ready.set(record.name, { record, prepared });
      onReady(record, prepared);
    });
  const discovery = await discoverPlugins(options.pluginDirs, {
    ...(options.scanCache === undefined ? {} : { cacheDir: options.scanCache }),
    ...(onPackage === undefined ? {} : { onPackage }),
  });
  const records = discovery.packages
    .filter((pkg) => touch(pkg.manifest.name))
    .map((pkg) => ready.get(pkg.manifest.name)?.record ?? add(pkg));
  const ignored: Array<BootReport['ignored'][number]> = [];
  for (const problem of discovery.problems) {
    if (!touch(problem.plugin)) continue;
    if (problem.error.code === 'MODU_DISCOVERY_NOT_A_PLUGIN') {
      ignored.push({ folder: problem.folder, error: errorReport(problem.error) });
      continue;
    }
    // A duplicate keeps its folder as its name, so that the first copy's record stays intact.
    const candidate = problem.plugin ?? basename(problem.folder);
    const record = table.add(table.get(candidate) ? problem.folder : candidate, problem.folder, undefined, false);
    table.fail(record, problem.error.code === 'MODU_DISCOVERY_DUPLICATE_NAME' ? 'discover' : 'validate', problem.error);
  }
  const prepared = new Map<string, PreparedPlugin>();
  const invalid: string[] = [];
  for (const record of records) {
    try {
      prepared.set(
        record.name,
        ready.get(record.name)?.prepared ?? prepareOne(record.pkg as PluginPackage, options, variables),
      );
    } catch (error) {
      if (!ModuError.is(error)) throw error;
      table.fail(record, 'validate', error);
      invalid.push(record.name);
    }
  }
  const graph = resolveGraph(
    discovery.packages.map(({ manifest }) => manifest),
    options.kernelVersion,
  );
  for (const [name, problem] of graph.blocked) {
    const record = touch(name) ? table.get(name) : undefined;
    if (record === undefined || record.state !== 'discovered') continue;
    const error = new ModuError(problem.code, problem.message, { details: problem.details });
    table.fail(record, 'resolve', error, problem.code === 'MODU_GRAPH_DEPENDENCY_FAILED' ? 'skipped' : 'failed');
  }
  for (const [name, problem] of skippedDependents(invalid, graph.dependents)) {
    const record = touch(name) ? table.get(name) : undefined;
    if (record?.state !== 'discovered') continue;
    table.fail(
      record,
      'resolve',
      new ModuError(problem.code, problem.message, { details: problem.details }),
      'skipped',
    );
  }
  return { graph, prepared, ignored };
}
