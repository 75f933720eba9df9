import type { Container } from 'inversify';
import { checkDefinitionKeys } from '../authoring/check-definition.js';
import { ownDefinition } from '../authoring/own-definition.js';
import {
  isPluginDefinition,
  type Logger,
  type PluginContext,
  type PluginDefinition,
  type Token,
} from '../authoring/plugin-definition.js';
import { injectsByToken } from '../container/injects-by-token.js';
import { PluginContainer, type ServiceImport } from '../container/plugin-container.js';
import { type PluginService, pluginServices } from '../container/plugin-services.js';
import type { ServiceClaim, ServiceOwnership } from '../container/service-ownership.js';
import { ModuError } from '../errors/modu-error.js';
import { contextFacade } from '../facades/context-facade.js';
import { loggerFacade } from '../facades/logger-facade.js';
import type { PluginPackage } from '../manifest/read-manifest.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import { explainInvisible } from './explain-invisible.js';
import type { ModuleGate } from './module-gate/module-gate.js';

/** What loading one plugin needs from the kernel. */
export interface LoadEnvironment {
  readonly rootContainer: Container;
  readonly ownership: ServiceOwnership;
  readonly code: ModuleGate;
  readonly logger: Logger;
  /** The loaded runtime of a plugin, if it is loaded. */
  readonly runtimeOf: (name: string) => PluginRuntime | undefined;
  /** Test doubles: plugin → dependency token → the value it gets instead (see `createTestKernel`). */
  readonly doubles?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** One plugin's inputs: its package, its validated config and its capability grants. */
export interface LoadRequest {
  readonly pkg: PluginPackage;
  readonly config: Readonly<Record<string, unknown>>;
  readonly granted: readonly string[];
}

/** What importing a plugin's code needs: its package and the generation (code version) to import. */
export interface ImportRequest extends Pick<LoadRequest, 'pkg'> {
  readonly generation: string;
}

/** A plugin whose code is in: its runtime, and how to dispose what its container created. */
export interface LoadedPlugin {
  readonly runtime: PluginRuntime;
  /** Disposes the container's instances and bindings and releases its tokens; resolves to the errors met. */
  readonly dispose: () => Promise<unknown[]>;
}

/**
 * Brings a plugin's code in through the module gate, which must have admitted its folder: imports its entry module
 * and returns its definition. It needs nothing of other plugins, so it may run ahead of the load waves.
 *
 * @throws ModuError `MODU_LOADER_IMPORT_FAILED`, `MODU_LOADER_NO_DEFINITION`, `MODU_PERMISSION_DENIED`,
 *   `MODU_LOADER_NOT_ADMITTED`, `MODU_LOADER_DEFINITION_INVALID`
 */
export async function importPlugin(request: ImportRequest, code: ModuleGate): Promise<PluginDefinition> {
  const { pkg } = request;
  let namespace: Record<string, unknown>;
  try {
    namespace = await code.importEntry(pkg.entry, request.generation);
  } catch (cause) {
    if (ModuError.is(cause)) throw cause;
    const message = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new ModuError(
      'MODU_LOADER_IMPORT_FAILED',
      `Plugin '${pkg.manifest.name}' failed to import ${pkg.entry}: ${message}`,
      {
        details: { plugin: pkg.manifest.name, file: pkg.entry },
        cause,
      },
    );
  }
  const definition = namespace.default;
  if (!isPluginDefinition(definition)) {
    throw new ModuError(
      'MODU_LOADER_NO_DEFINITION',
      `Plugin '${pkg.manifest.name}' has no definePlugin() default export in ${pkg.entry}.`,
      {
        details: { plugin: pkg.manifest.name, file: pkg.entry },
      },
    );
  }
  checkDefinitionKeys(definition, pkg.manifest.name, pkg.entry);
  return ownDefinition(definition);
}

/**
 * Every service listed under `exports.services` is defined, and none is request-scoped: such a service is one per
 * request of its own plugin, which no other plugin's code runs in.
 */
function checkExports(pkg: PluginPackage, services: readonly PluginService[]): void {
  const exported = pkg.manifest.exports?.services ?? [];
  const where = { plugin: pkg.manifest.name, file: pkg.manifestFile, pointer: '/exports/services' };
  const missing = exported.filter((name) => !services.some((service) => service.name === name));
  if (missing.length > 0) {
    throw new ModuError(
      'MODU_LOADER_EXPORT_MISSING',
      `Plugin '${pkg.manifest.name}' exports ${missing.join(', ')} in plugin.yaml, which its code does not define.`,
      { details: { ...where, missing } },
    );
  }
  const perRequest = services.filter((service) => service.scope === 'request' && exported.includes(service.name));
  if (perRequest.length > 0) {
    const names = perRequest.map((service) => service.name);
    throw new ModuError(
      'MODU_LOADER_EXPORT_REQUEST_SCOPED',
      `Plugin '${pkg.manifest.name}' exports ${names.join(', ')} in plugin.yaml, which its code makes request-scoped: one per request of its own routes, which no other plugin can use.`,
      { details: { ...where, requestScoped: names } },
    );
  }
}

/** Every plugin the manifest names as a dependency, optional ones included. */
function declaredDependencies(pkg: PluginPackage): Set<string> {
  const { dependencies = {}, optionalDependencies = {} } = pkg.manifest;
  return new Set([...Object.keys(dependencies), ...Object.keys(optionalDependencies)]);
}

/** Declared dependencies and the optional ones that are loaded: the only plugins whose exports it sees. */
function visibleDependencies(pkg: PluginPackage, env: LoadEnvironment): Set<string> {
  const { dependencies = {}, optionalDependencies = {} } = pkg.manifest;
  const optional = Object.keys(optionalDependencies).filter((name) => env.runtimeOf(name) !== undefined);
  return new Set([...Object.keys(dependencies), ...optional]);
}

function importsOf(plugin: string, dependencies: ReadonlySet<string>, env: LoadEnvironment): ServiceImport[] {
  const doubles = env.doubles?.[plugin] ?? {};
  const imports = [...dependencies].flatMap((name) => {
    const owner = env.runtimeOf(name);
    if (owner === undefined) return [];
    const exported = owner.manifest.exports?.services ?? [];
    return exported.map((service): ServiceImport => {
      const token = `${name}/${service}`;
      if (Object.hasOwn(doubles, token)) return { token, value: doubles[token] };
      // A singleton is the one instance its owner's container hands out: bound as it is, it needs no resolving there.
      return owner.singletons.has(token)
        ? { token, value: owner.singletons.get(token) }
        : { token, from: owner.container };
    });
  });
  const unknown = Object.keys(doubles).filter((token) => !imports.some((i) => i.token === token));
  if (unknown.length > 0) {
    throw new ModuError(
      'MODU_CONTAINER_DOUBLE_UNKNOWN',
      `Plugin '${plugin}' got test doubles for ${unknown.join(', ')}, which it does not import from a dependency.`,
      { details: { plugin, tokens: unknown, imports: imports.map((i) => i.token) } },
    );
  }
  return imports;
}

/**
 * A plugin whose code is in, staged ahead of its load: its own container holds its own services, and nothing is
 * claimed or taken from another plugin yet. Staging needs nothing of other plugins, so the boot does it ahead of the
 * plugin's turn; {@link loadPlugin} finishes it, and {@link PluginContainer.dispose} drops it if it never loads.
 */
export interface StagedPlugin {
  readonly request: LoadRequest;
  readonly definition: PluginDefinition;
  readonly services: readonly PluginService[];
  readonly container: PluginContainer;
  readonly context: PluginContext;
}

/**
 * Stages an imported plugin: lists its services, checks them against the manifest's exports, and binds them in a
 * new child container of the root, with the plugin's context.
 *
 * @throws ModuError `MODU_LOADER_EXPORT_MISSING`, `MODU_LOADER_EXPORT_REQUEST_SCOPED`, `MODU_LOADER_DEFINITION_INVALID`
 */
export async function stagePlugin(
  request: LoadRequest,
  definition: PluginDefinition,
  env: LoadEnvironment,
): Promise<StagedPlugin> {
  const { pkg } = request;
  const { name, version } = pkg.manifest;
  const services = pluginServices(name, definition);
  checkExports(pkg, services);
  const declared = declaredDependencies(pkg);
  const container = new PluginContainer(
    env.rootContainer,
    name,
    (token) => explainInvisible(name, token, declared, env),
    injectsByToken(definition, services),
  );
  // A facade of closures: nothing on it leads to the container, the host logger or a shared prototype.
  const context = contextFacade<PluginContext>({
    plugin: name,
    version,
    config: request.config,
    logger: loggerFacade(env.logger.child({ plugin: name })),
    use: <T>(token: Token<T>) => container.use<T>(token),
    useAsync: <T>(token: Token<T>) => container.useAsync<T>(token),
    has: (token: Token) => container.has(token),
  });
  try {
    container.bindServices(services, () => context);
  } catch (error) {
    await container.dispose();
    throw error;
  }
  return { request, definition, services, container, context };
}

/**
 * Loads a staged plugin: claims its services' tokens, binds the exported services of its dependencies, and builds
 * its singletons. Hooks and routes are the caller's next steps. On failure nothing is left claimed and its container
 * is disposed.
 *
 * @throws ModuError `MODU_CONTAINER_CONFLICT`, `MODU_CONTAINER_NOT_VISIBLE`, `MODU_CONTAINER_RESOLVE_FAILED`,
 *   `MODU_CONTAINER_DOUBLE_UNKNOWN`
 */
export async function loadPlugin(staged: StagedPlugin, env: LoadEnvironment): Promise<LoadedPlugin> {
  const { request, definition, services, container, context } = staged;
  const { pkg } = request;
  const { name, version } = pkg.manifest;
  const dependencies = visibleDependencies(pkg, env);
  let claim: ServiceClaim;
  try {
    claim = env.ownership.claim(
      name,
      services.map((s) => s.token),
    );
  } catch (error) {
    await container.dispose();
    throw error;
  }
  let singletons: Map<string, unknown>;
  try {
    container.bindImports(importsOf(name, dependencies, env));
    singletons = await container.instantiate(services);
  } catch (error) {
    await container.dispose();
    env.ownership.release(claim);
    throw error;
  }
  const runtime: PluginRuntime = {
    name,
    version,
    root: pkg.root,
    manifest: pkg.manifest,
    definition,
    services,
    container: container.container,
    singletons,
    context,
    dependencies,
  };
  const dispose = async () => {
    const errors = await container.dispose();
    env.ownership.release(claim);
    return errors;
  };
  return { runtime, dispose };
}
