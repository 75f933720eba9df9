import type { HttpMethod, Newable, RequestContext, RouteDefinition } from '../authoring/plugin-definition.js';
import { controllerMetadata } from '../authoring/route-decorators.js';
import { ModuError } from '../errors/modu-error.js';
import type { ClassScope } from '../guards/declare-guards.js';
import type { GuardChainCompiler } from '../guards/guard-registry.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import { type CompiledRoute, routeStats } from './compiled-route.js';
import type { MountedPlugin } from './mounted-plugin.js';
import { pathSegments } from './route-trie.js';

const METHODS = new Set<string>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Where a plugin's routes mount: `routes.prefix`, else `/<name>` (`/@acme/users` for scoped names). */
export function pluginPrefix(runtime: PluginRuntime): string {
  return runtime.manifest.routes?.prefix ?? `/${runtime.name}`;
}

/** Joins path parts into `/a/b/:c` (no trailing slash; `/` for the root). */
export function joinPath(...parts: string[]): string {
  return `/${parts.flatMap(pathSegments).join('/')}`;
}

interface RouteSource {
  readonly method: HttpMethod | readonly HttpMethod[];
  readonly path: string;
  readonly guards: readonly string[];
  readonly permissions: readonly string[];
  readonly invoke: (ctx: RequestContext) => unknown;
  readonly where: string;
}

function invalid(plugin: string, where: string, why: string): ModuError {
  return new ModuError('MODU_HTTP_ROUTE_INVALID', `Route ${where} of plugin '${plugin}' ${why}; fix the route.`, {
    details: { plugin, route: where },
  });
}

function fromDefinitions(routes: readonly RouteDefinition[]): RouteSource[] {
  return routes.map((route, index) => ({
    method: route.method,
    path: route.path,
    guards: route.guards ?? [],
    permissions: route.permissions ?? [],
    invoke: route.handler,
    where: `#${index} (${String(route.method)} ${route.path})`,
  }));
}

async function fromController(runtime: PluginRuntime, scope: ClassScope, cls: Newable): Promise<RouteSource[]> {
  const meta = controllerMetadata(cls);
  if (meta === undefined) throw invalid(runtime.name, cls.name, 'is listed in `controllers` without @Controller()');
  let instance: Record<string | symbol, unknown>;
  try {
    instance = (await scope.build(cls)) as Record<string | symbol, unknown>;
  } catch (cause) {
    throw new ModuError(
      'MODU_CONTAINER_RESOLVE_FAILED',
      `Controller ${cls.name} of plugin '${runtime.name}' could not be built: ${(cause as Error).message}; check its @inject tokens.`,
      { details: { plugin: runtime.name, controller: cls.name }, cause },
    );
  }
  return meta.routes.map((route) => {
    const method = instance[route.propertyKey];
    const where = `${cls.name}.${String(route.propertyKey)}`;
    if (typeof method !== 'function') throw invalid(runtime.name, where, 'is not a method');
    return {
      method: route.method,
      path: joinPath(meta.prefix, route.path),
      guards: [...meta.guards, ...route.guards],
      permissions: [...meta.permissions, ...route.permissions],
      invoke: method.bind(instance) as (ctx: RequestContext) => unknown,
      where,
    };
  });
}

function methodsOf(source: RouteSource): string[] {
  return (Array.isArray(source.method) ? source.method : [source.method]) as string[];
}

/** Everything wrong with one route, so that a route with several problems reports all of them at once. */
function routeProblems(source: RouteSource): string[] {
  const problems: string[] = [];
  if (typeof source.invoke !== 'function') problems.push('has no handler function');
  if (typeof source.path !== 'string' || !source.path.startsWith('/')) {
    problems.push("has a path that does not start with '/'");
  }
  for (const method of methodsOf(source)) if (!METHODS.has(method)) problems.push(`has an unknown method '${method}'`);
  return problems;
}

/**
 * Compiles a plugin's routes (plain and controller ones) with their guard chains precompiled.
 *
 * @throws ModuError `MODU_HTTP_ROUTE_INVALID`, `MODU_CONTAINER_RESOLVE_FAILED`, `MODU_GUARD_*`
 */
export async function compileRoutes(
  runtime: PluginRuntime,
  mounted: MountedPlugin,
  scope: ClassScope,
  guards: GuardChainCompiler,
): Promise<CompiledRoute[]> {
  const sources = fromDefinitions(runtime.definition.routes ?? []);
  for (const cls of runtime.definition.controllers ?? []) sources.push(...(await fromController(runtime, scope, cls)));
  const problems = sources.flatMap((source) => routeProblems(source).map((why) => `${source.where} ${why}`));
  if (problems.length > 0) {
    throw new ModuError(
      'MODU_HTTP_ROUTE_INVALID',
      `Plugin '${runtime.name}' has invalid routes; fix each one:\n${problems.join('\n')}`,
      { details: { plugin: runtime.name, problems } },
    );
  }
  const prefix = pluginPrefix(runtime);
  const compiled: CompiledRoute[] = [];
  for (const source of sources) {
    const path = joinPath(prefix, source.path);
    const chain = guards.compile(source.guards);
    for (const method of methodsOf(source)) {
      compiled.push({
        plugin: mounted,
        method,
        path,
        paramNames: pathSegments(path)
          .filter((segment) => segment.startsWith(':'))
          .map((segment) => segment.slice(1)),
        chain,
        permissions: source.permissions,
        invoke: source.invoke,
        stats: routeStats(),
      });
    }
  }
  return compiled;
}
