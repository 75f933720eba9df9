import type { Guard as GuardContract, HttpMethod, Newable } from './plugin-definition.js';

/** A guard: decides whether a request may go on (the same contract as in plugin-definition, merged with the decorator). */
export interface Guard extends GuardContract {}

const controllerKey = Symbol.for('modu.controller');
const routesKey = Symbol.for('modu.controller.routes');
const methodGuardsKey = Symbol.for('modu.controller.method-guards');
const methodPermissionsKey = Symbol.for('modu.controller.method-permissions');
const classGuardsKey = Symbol.for('modu.controller.class-guards');
const classPermissionsKey = Symbol.for('modu.controller.class-permissions');
const guardKey = Symbol.for('modu.guard');

/** What `@Controller`, `@UseGuards` and `@RequirePermissions` recorded on a class. */
export interface ControllerMetadata {
  readonly prefix: string;
  readonly guards: readonly string[];
  readonly permissions: readonly string[];
  readonly routes: readonly ControllerRouteMetadata[];
}

/** One decorated handler method of a controller. */
export interface ControllerRouteMetadata {
  readonly method: HttpMethod;
  readonly path: string;
  readonly propertyKey: string | symbol;
  readonly guards: readonly string[];
  readonly permissions: readonly string[];
}

/** What `@Guard` recorded on a guard class. */
export interface GuardClassMetadata {
  readonly name: string;
  readonly dependsOn: readonly string[];
}

type Bag = Record<symbol, unknown>;

function own<T>(target: object, key: symbol, empty: () => T): T {
  if (!Object.hasOwn(target, key)) Object.defineProperty(target, key, { value: empty(), enumerable: false });
  return (target as Bag)[key] as T;
}

/**
 * Marks a class as a controller, built by the plugin's container; its routes mount under the plugin's
 * prefix plus `prefix`. Handler methods receive the RequestContext.
 *
 * @example
 * @Controller('/') @UseGuards('auth/authenticated') @injectable()
 * class UsersController {
 *   constructor(@inject('users/UserDirectory') private readonly users: UserDirectory) {}
 *   @Get('/:id') @RequirePermissions('users:read') find(ctx: RequestContext) { return this.users.find(ctx.params.id); }
 * }
 */
export function Controller(prefix = '/'): ClassDecorator {
  return (target) => {
    own<{ prefix: string }>(target, controllerKey, () => ({ prefix })).prefix = prefix;
  };
}

function route(method: HttpMethod) {
  return (path = '/'): MethodDecorator =>
    (target, propertyKey) => {
      own<Array<{ method: HttpMethod; path: string; propertyKey: string | symbol }>>(
        target.constructor,
        routesKey,
        () => [],
      ).push({ method, path, propertyKey });
    };
}

/** `@Get('/:id')` on a controller method: the method handles GET (and HEAD) on that path. */
export const Get = route('GET');
export const Post = route('POST');
export const Put = route('PUT');
export const Patch = route('PATCH');
export const Delete = route('DELETE');

function classOrMethod(classKey: symbol, methodKey: symbol, values: readonly string[]) {
  return (target: object, propertyKey?: string | symbol): void => {
    if (propertyKey === undefined) {
      own<string[]>(target, classKey, () => []).push(...values);
      return;
    }
    const byMethod = own<Map<string | symbol, string[]>>(target.constructor, methodKey, () => new Map());
    byMethod.set(propertyKey, [...(byMethod.get(propertyKey) ?? []), ...values]);
  };
}

/** Guards the whole controller (on the class) or one handler (on a method); names as in route `guards`. */
export function UseGuards(...names: string[]): ClassDecorator & MethodDecorator {
  return classOrMethod(classGuardsKey, methodGuardsKey, names) as ClassDecorator & MethodDecorator;
}

/** Permissions the principal must hold, for the whole controller (class) or one handler (method). */
export function RequirePermissions(...permissions: string[]): ClassDecorator & MethodDecorator {
  return classOrMethod(classPermissionsKey, methodPermissionsKey, permissions) as ClassDecorator & MethodDecorator;
}

/**
 * Declares a guard class named `name` (`<plugin>/<name>`), built by the plugin's container and run
 * after the guards in `dependsOn`. List the class in `definePlugin({ guards: [...] })`.
 *
 * @example @Guard('admin', { dependsOn: ['auth/authenticated'] }) @injectable() class AdminGuard { canActivate(ctx) {...} }
 */
export function Guard(name: string, options: { readonly dependsOn?: readonly string[] } = {}): ClassDecorator {
  return (target) => {
    Object.defineProperty(target, guardKey, { value: { name, dependsOn: [...(options.dependsOn ?? [])] } });
  };
}

function classList(target: object, key: symbol): readonly string[] {
  return Object.hasOwn(target, key) ? ((target as Bag)[key] as string[]) : [];
}

/** The controller metadata of a class, or undefined when it has no `@Controller`. */
export function controllerMetadata(target: Newable): ControllerMetadata | undefined {
  if (!Object.hasOwn(target, controllerKey)) return undefined;
  const bag = target as unknown as Bag;
  const guards = (bag[methodGuardsKey] as Map<string | symbol, string[]> | undefined) ?? new Map();
  const permissions = (bag[methodPermissionsKey] as Map<string | symbol, string[]> | undefined) ?? new Map();
  const routes = (bag[routesKey] as ControllerRouteMetadata[] | undefined) ?? [];
  return {
    prefix: (bag[controllerKey] as { prefix: string }).prefix,
    guards: classList(target, classGuardsKey),
    permissions: classList(target, classPermissionsKey),
    routes: routes.map((r) => ({
      ...r,
      guards: guards.get(r.propertyKey) ?? [],
      permissions: permissions.get(r.propertyKey) ?? [],
    })),
  };
}

/** The `@Guard` metadata of a class, or undefined. */
export function guardMetadata(target: Newable): GuardClassMetadata | undefined {
  return Object.hasOwn(target, guardKey) ? ((target as unknown as Bag)[guardKey] as GuardClassMetadata) : undefined;
}
