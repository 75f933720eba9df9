import type { HttpMethod, Newable, RequestContext, RouteDefinition } from '../authoring/plugin-definition.js';
import { controllerMetadata } from '../authoring/route-decorators.js';
import { ModuError } from '../errors/modu-error.js';
import type { ClassScope } from '../guards/declare-guards.js';
import type { GuardChainCompiler } from '../guards/guard-registry.js';
import {
  ArrayIsArray,
  ArrayPrototypeJoin,
  ArrayPrototypePush,
  ArrayPrototypeSlice,
  FunctionPrototypeBind,
  ObjectFreeze,
  ownValue,
  SafeSet,
  StringPrototypeSlice,
  StringPrototypeStartsWith,
} from '../primordials.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { type CompiledRoute, routeStats } from './compiled-route.js';
import type { MountedPlugin } from './mounted-plugin.js';
import { remoteRoute } from './remote-route.js';
import { pathSegments } from './route-trie.js';

const METHODS = new SafeSet<string>(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Where a plugin's routes mount: `routes.prefix`, else `/<name>` (`/@acme/users` for scoped names). */
export function pluginPrefix(runtime: PluginRuntime): string {
  return ownValue<string>(ownValue(runtime.manifest, 'routes'), 'prefix') ?? `/${runtime.name}`;
}

/** Joins path parts into `/a/b/:c` (no trailing slash; `/` for the root). */
export function joinPath(...parts: string[]): string {
  const segments: string[] = [];
  for (let i = 0; i < parts.length; i++) appendAll(segments, pathSegments(parts[i] as string));
  return `/${ArrayPrototypeJoin(segments, '/')}`;
}

/** Appends `items` to `into` with captured operations (never a replaceable spread or `push`). */
function appendAll<T>(into: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) ArrayPrototypePush(into, items[i] as T);
  return into;
}

/** The `:name` segments of a route path, names only, in order. */
function paramNamesOf(path: string): string[] {
  const segments = pathSegments(path);
  const names: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if (StringPrototypeStartsWith(segment, ':')) ArrayPrototypePush(names, StringPrototypeSlice(segment, 1));
  }
  return names;
}

/** A `.` or `..` segment: a proxy normalising the path would send the request to another plugin's prefix. */
function hasDotSegment(path: string): boolean {
  const segments = pathSegments(path);
  for (let i = 0; i < segments.length; i++) if (segments[i] === '.' || segments[i] === '..') return true;
  return false;
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
  const sources: RouteSource[] = [];
  for (let index = 0; index < routes.length; index++) {
    const route = routes[index] as RouteDefinition;
    ArrayPrototypePush(sources, {
      method: route.method,
      path: route.path,
      guards: route.guards ?? [],
      permissions: route.permissions ?? [],
      invoke: route.handler,
      where: `#${index} (${String(route.method)} ${route.path})`,
    });
  }
  return sources;
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
  const sources: RouteSource[] = [];
  for (let i = 0; i < meta.routes.length; i++) {
    const route = meta.routes[i] as (typeof meta.routes)[number];
    const method = instance[route.propertyKey];
    const where = `${cls.name}.${String(route.propertyKey)}`;
    if (typeof method !== 'function') throw invalid(runtime.name, where, 'is not a method');
    ArrayPrototypePush(sources, {
      method: route.method,
      path: joinPath(meta.prefix, route.path),
      guards: appendAll(appendAll([], meta.guards), route.guards),
      permissions: appendAll(appendAll([], meta.permissions), route.permissions),
      invoke: FunctionPrototypeBind(method as never, instance) as (ctx: RequestContext) => unknown,
      where,
    });
  }
  return sources;
}

function methodsOf(source: RouteSource): string[] {
  return (ArrayIsArray(source.method) ? source.method : [source.method]) as string[];
}

/** Everything wrong with one route, so that a route with several problems reports all of them at once. */
function routeProblems(source: RouteSource, into: string[]): void {
  const fail = (why: string) => ArrayPrototypePush(into, `${source.where} ${why}`);
  if (typeof source.invoke !== 'function') fail('has no handler function');
  if (typeof source.path !== 'string' || !StringPrototypeStartsWith(source.path, '/')) {
    fail("has a path that does not start with '/'");
  }
  const methods = methodsOf(source);
  for (let m = 0; m < methods.length; m++) {
    if (!METHODS.has(methods[m] as string)) fail(`has an unknown method '${methods[m]}'`);
  }
}

/** @throws ModuError `MODU_HTTP_ROUTE_INVALID` listing every problem of every route at once */
function assertRoutesValid(plugin: string, sources: readonly RouteSource[]): void {
  const problems: string[] = [];
  for (let s = 0; s < sources.length; s++) routeProblems(sources[s] as RouteSource, problems);
  if (problems.length === 0) return;
  throw new ModuError(
    'MODU_HTTP_ROUTE_INVALID',
    `Plugin '${plugin}' has invalid routes; fix each one:\n${ArrayPrototypeJoin(problems, '\n')}`,
    { details: { plugin, problems } },
  );
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
  const { definition } = runtime;
  const sources = fromDefinitions(ownValue<readonly RouteDefinition[]>(definition, 'routes') ?? []);
  const controllers = ownValue<readonly Newable[]>(definition, 'controllers') ?? [];
  for (let i = 0; i < controllers.length; i++) {
    appendAll(sources, await fromController(runtime, scope, controllers[i] as Newable));
  }
  assertRoutesValid(runtime.name, sources);
  const prefix = pluginPrefix(runtime);
  const compiled: CompiledRoute[] = [];
  for (let s = 0; s < sources.length; s++) {
    const source = sources[s] as RouteSource;
    const path = joinPath(prefix, source.path);
    if (hasDotSegment(path)) throw invalid(runtime.name, source.where, "has a '.' or '..' segment");
    const chain = guards.compile(source.guards);
    const methods = methodsOf(source);
    for (let m = 0; m < methods.length; m++) {
      const method = methods[m] as string;
      ArrayPrototypePush(compiled, {
        plugin: mounted,
        method,
        path,
        paramNames: paramNamesOf(path),
        chain,
        permissions: ObjectFreeze(ArrayPrototypeSlice(source.permissions)),
        invoke: source.invoke,
        stats: routeStats(),
        breaker: new CircuitBreaker(mounted.breakerOptions),
        remote: remoteRoute(source.invoke, chain),
      });
    }
  }
  return compiled;
}
