// Builds PluginRuntime objects the way the loader will: a real Inversify child container per plugin with
// its services bound under `<plugin>/<Service>`, and a context whose `use` sees only own and dependency
// exports. The real loader replaces this helper at merge.
import { Readable } from 'node:stream';
import { Container } from 'inversify';
import {
  type Logger,
  ModuError,
  type NeutralRequest,
  type PluginContext,
  type PluginDefinition,
  type PluginManifest,
  type PluginRuntime,
  pluginServices,
  type ServiceDefinition,
} from '../../../kernel/index.js';

export interface LogEntry {
  readonly level: string;
  readonly obj: object | string;
  readonly msg: string | undefined;
  readonly bindings: Record<string, unknown>;
}

export function captureLogger(entries: LogEntry[], bindings: Record<string, unknown> = {}): Logger {
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      entries.push({ level, obj, msg, bindings });
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => captureLogger(entries, { ...bindings, ...more }),
  };
}

export interface PluginSpec {
  readonly name: string;
  readonly definition: PluginDefinition;
  readonly dependencies?: readonly string[];
  readonly exportsGuards?: readonly string[];
  readonly exportsServices?: readonly string[];
  readonly prefix?: string;
  readonly config?: Record<string, unknown>;
}

function bindService(container: Container, token: string, service: ServiceDefinition, ctx: PluginContext): void {
  if ('value' in service) {
    container.bind(token).toConstantValue(service.value);
    return;
  }
  if (service.scope === 'request') return; // the HTTP layer builds these per request
  const bound =
    'class' in service
      ? container.bind(token).to(service.class)
      : container.bind(token).toDynamicValue(() => service.factory(ctx));
  if (service.scope !== 'transient') bound.inSingletonScope();
}

/** A host of test plugins sharing one root container. */
export class TestHost {
  readonly root = new Container();
  readonly logs: LogEntry[] = [];
  readonly #runtimes = new Map<string, PluginRuntime>();
  readonly #specs = new Map<string, PluginSpec>();

  runtime(spec: PluginSpec): PluginRuntime {
    const container = new Container({ parent: this.root });
    const dependencies = new Set(spec.dependencies ?? []);
    const lookup = (token: unknown): { container: Container; token: string } => {
      const name = String(token);
      const owner = name.slice(0, name.lastIndexOf('/'));
      if (owner === spec.name) return { container, token: name };
      const other = this.#runtimes.get(owner);
      const exported = this.#specs.get(owner)?.exportsServices ?? [];
      if (other === undefined || !dependencies.has(owner) || !exported.includes(name.slice(owner.length + 1))) {
        throw new ModuError('MODU_CONTAINER_NOT_VISIBLE', `Service '${name}' is not visible to '${spec.name}'.`);
      }
      return { container: other.container, token: name };
    };
    const context: PluginContext = {
      plugin: spec.name,
      version: '1.0.0',
      config: spec.config ?? {},
      logger: captureLogger(this.logs, { plugin: spec.name }),
      use: <T>(token: unknown) => {
        const found = lookup(token);
        return found.container.get<T>(found.token);
      },
      useAsync: <T>(token: unknown) => {
        const found = lookup(token);
        return found.container.getAsync<T>(found.token);
      },
      has: (token: unknown) => {
        try {
          const found = lookup(token);
          return found.container.isBound(found.token);
        } catch {
          return false;
        }
      },
    };
    const services = spec.definition.services;
    if (services !== undefined && !Array.isArray(services)) {
      for (const [name, service] of Object.entries(services as Record<string, ServiceDefinition>)) {
        bindService(container, `${spec.name}/${name}`, service, context);
      }
    }
    const manifest = {
      name: spec.name,
      version: '1.0.0',
      main: 'index.js',
      kernel: '^1.0.0',
      exports: { guards: [...(spec.exportsGuards ?? [])], services: [...(spec.exportsServices ?? [])] },
      ...(spec.prefix === undefined ? {} : { routes: { prefix: spec.prefix } }),
    } as PluginManifest;
    const runtime: PluginRuntime = {
      name: spec.name,
      version: '1.0.0',
      root: `/plugins/${spec.name}`,
      manifest,
      definition: spec.definition,
      services: pluginServices(spec.name, spec.definition),
      container,
      // Nothing built ahead: a dependent's imports resolve through this container.
      singletons: new Map(),
      context,
      dependencies,
    };
    this.#runtimes.set(spec.name, runtime);
    this.#specs.set(spec.name, spec);
    return runtime;
  }
}

/** A neutral request for calling a handler directly (kernel tests without a server). */
export function neutralRequest(
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: string; query?: Record<string, string> } = {},
): NeutralRequest {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(options.body));
  return {
    method,
    path,
    query: options.query ?? {},
    headers,
    remoteAddress: '127.0.0.1',
    body: Readable.from(options.body === undefined ? [] : [Buffer.from(options.body)]),
    signal: new AbortController().signal,
  };
}
