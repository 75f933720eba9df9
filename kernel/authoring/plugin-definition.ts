import type { ServiceIdentifier } from 'inversify';

/** A class the container can build. */
// biome-ignore lint/suspicious/noExplicitAny: constructor parameters are injected, their types vary.
export type Newable<T = unknown> = new (...args: any[]) => T;

/**
 * A service token `<plugin>/<Service>`. The type parameter only carries the service's type for
 * `use(token)`; at run time a token is the plain string.
 */
export type Token<T = unknown> = string & { readonly __service?: T };

/** Makes a typed token: `const Store = token<Store>('storage/Store')`. */
export function token<T>(name: `${string}/${string}`): Token<T> {
  return name as Token<T>;
}

/** What a guard answers: pass (`true`), refuse with 403 (`false`), or a {@link GuardDenial} from `deny()`. */
export type GuardVerdict = boolean | GuardDenial;

/** A guard's refusal with its status and reason, made by `deny()`. */
export interface GuardDenial {
  readonly status: 401 | 403;
  readonly reason: string | undefined;
}

/**
 * A pino-compatible structured logger, already bound to the plugin's name. A plugin's is a frozen facade with only
 * these methods: nothing on it leads to the host's logger, stream or destination.
 */
export interface Logger {
  trace?(obj: object | string, msg?: string): void;
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  fatal?(obj: object | string, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Resolves services visible to a plugin: its own and its dependencies' exported ones. */
export interface ServiceLookup {
  /** Synchronously resolves a token. @throws ModuError `MODU_CONTAINER_NOT_VISIBLE` */
  use<T>(token: Token<T> | ServiceIdentifier<T>): T;
  /** Resolves a token whose factory or activation is asynchronous. */
  useAsync<T>(token: Token<T> | ServiceIdentifier<T>): Promise<T>;
  /** True when `token` is visible here: for services of optional dependencies that may be absent. */
  has(token: Token | ServiceIdentifier): boolean;
}

/** What every hook and factory of a plugin receives. */
export interface PluginContext<Config = Record<string, unknown>> extends ServiceLookup {
  /** The plugin's name. */
  readonly plugin: string;
  readonly version: string;
  /** The host's value for this plugin, validated against the manifest's `config` schema, defaults applied. */
  readonly config: Readonly<Config>;
  readonly logger: Logger;
}

/** What a lifecycle hook receives: the plugin context and a signal aborted when the hook times out. */
export interface HookContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  readonly signal: AbortSignal;
}

/** `singleton`: one per plugin (default); `transient`: one per resolution; `request`: one per HTTP request. */
export type ServiceScope = 'singleton' | 'transient' | 'request';

interface ServiceOptions<T> {
  readonly scope?: ServiceScope;
  /** Releases what the instance holds; called when its scope ends (unload, or end of request). */
  readonly dispose?: (instance: T) => void | Promise<void>;
}

/** The config type of a plugin that did not declare one. */
export type AnyConfig = Record<string, unknown>;

/** One service: a class (built by the plugin's container), a factory, or a ready value. */
export type ServiceDefinition<T = unknown, Config = AnyConfig> =
  | ({ readonly class: Newable<T> } & ServiceOptions<T>)
  | ({ readonly factory: (ctx: PluginContext<Config>) => T | Promise<T> } & ServiceOptions<T>)
  | { readonly value: T };

/** An HTTP method a route can answer. */
export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/** Who made the request, as established by a guard that verified a credential. */
export interface Principal {
  readonly id: string;
  /** Permissions held, such as `users:read` or `users:*`. */
  readonly permissions: readonly string[];
  readonly roles?: readonly string[];
  readonly [claim: string]: unknown;
}

/** The framework-neutral request a guard or handler sees. */
export interface RequestContext<Config = Record<string, unknown>> extends PluginContext<Config> {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The parsed JSON body, or undefined. */
  readonly body: unknown;
  /** Set by a guard once it verified a credential; never taken from a header by the kernel. */
  principal: Principal | undefined;
  /** Aborted when the client goes away. */
  readonly signal: AbortSignal;
}

/**
 * A guard: decides whether a request may go on, and may set `ctx.principal`. `true` lets it through; `false` answers
 * 403; `deny(401 | 403, 'why')` answers that status with the reason.
 */
export interface Guard<Config = AnyConfig> {
  canActivate(ctx: RequestContext<Config>): GuardVerdict | Promise<GuardVerdict>;
}

/** A plain object or a class the plugin's container builds, with the guards it runs after. */
export type GuardDefinition<Config = AnyConfig> =
  | (Guard<Config> & { readonly dependsOn?: readonly string[] })
  | { readonly class: Newable<Guard>; readonly dependsOn?: readonly string[] };

/** A route: method, path under the plugin's prefix, guards, required permissions, handler. */
export interface RouteDefinition<Config = AnyConfig> {
  readonly method: HttpMethod | readonly HttpMethod[];
  /** Path under the plugin's prefix, with `:name` parameters: `/:id`. */
  readonly path: string;
  /** Guard names: `auth/authenticated` (exported by a dependency) or `admin` (this plugin's own). */
  readonly guards?: readonly string[];
  /** Permissions the principal must hold, wildcards allowed in the held ones (`users:*`). */
  readonly permissions?: readonly string[];
  /** Returns the body (sent as JSON), a `reply(...)`, or nothing (204). */
  readonly handler: (ctx: RequestContext<Config>) => unknown;
}

/** A lifecycle hook. */
export type LifecycleHook<Config = AnyConfig> = (ctx: HookContext<Config>) => void | Promise<void>;

/**
 * The default export of a plugin's entry module, made with `definePlugin`. `Config` types `ctx.config` in every
 * hook, factory, guard and handler.
 */
export interface PluginDefinition<Config = AnyConfig> {
  /** Services by name (bound as `<plugin>/<name>`), or classes decorated with `@Service()`. */
  readonly services?: Readonly<Record<string, ServiceDefinition<unknown, Config> | Newable>> | readonly Newable[];
  /** Guards by name (`<plugin>/<name>`), or classes decorated with `@Guard('name')`. */
  readonly guards?: Readonly<Record<string, GuardDefinition<Config>>> | readonly Newable<Guard>[];
  readonly routes?: readonly RouteDefinition<Config>[];
  /** Classes decorated with `@Controller()`, their methods with `@Get()`, `@Post()`, … */
  readonly controllers?: readonly Newable[];
  readonly onLoad?: LifecycleHook<Config>;
  readonly onStart?: LifecycleHook<Config>;
  readonly onStop?: LifecycleHook<Config>;
  readonly onUnload?: LifecycleHook<Config>;
}

/** A definition with no key `definePlugin` does not know: a misspelt key (`route`, `onstart`) is a type error. */
export type ExactDefinition<D, Config = AnyConfig> = D & {
  readonly [K in Exclude<keyof D, keyof PluginDefinition<Config>>]: never;
};

const definitionBrand = Symbol.for('modu.plugin-definition');

function brand<D extends object>(definition: D): D {
  Object.defineProperty(definition, definitionBrand, { value: true });
  return definition;
}

/**
 * Declares a plugin; the entry module's default export. Works from plain JavaScript, where an unknown key fails the
 * plugin's load (`MODU_LOADER_DEFINITION_INVALID`); in TypeScript it is a type error. Call it with a config type and
 * no argument to type `ctx.config`: `definePlugin<{ greeting: string }>()({ ... })`.
 *
 * @example export default definePlugin({ services: { Clock: { value: () => Date.now() } } });
 */
export function definePlugin<const D extends PluginDefinition>(definition: ExactDefinition<D>): D;
export function definePlugin<Config extends object>(): <const D extends PluginDefinition<Config>>(
  definition: ExactDefinition<D, Config>,
) => D;
export function definePlugin(definition?: object): unknown {
  return definition === undefined ? brand : brand(definition);
}

/** True for a value made by `definePlugin` in any copy of Modu. */
export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[definitionBrand] === true;
}
