import { Container } from 'inversify';
import type { Guard, GuardDefinition, Newable, PluginDefinition } from '../authoring/plugin-definition.js';
import { guardMetadata } from '../authoring/route-decorators.js';
import { ModuError } from '../errors/modu-error.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import type { MountedPlugin } from '../http/mounted-plugin.js';
import { ObjectHasOwn, ownValue } from '../primordials.js';
import type { PluginRuntime } from '../runtime/plugin-runtime.js';
import { qualifyGuardName } from './guard-access.js';
import type { GuardEntry } from './guard-chain.js';

function invalid(plugin: string, name: string, why: string, cause?: unknown): ModuError {
  return new ModuError('MODU_GUARD_INVALID', `Guard '${plugin}/${name}' of plugin '${plugin}' ${why}; fix it.`, {
    details: { plugin, guard: `${plugin}/${name}` },
    cause,
  });
}

async function build(scope: ClassScope, plugin: string, name: string, cls: Newable<Guard>): Promise<Guard> {
  let instance: Guard;
  try {
    instance = await scope.build(cls);
  } catch (cause) {
    throw invalid(plugin, name, `could not be built by its container (${(cause as Error).message})`, cause);
  }
  if (typeof instance.canActivate !== 'function') throw invalid(plugin, name, 'has no canActivate(ctx) method');
  return instance;
}

function declarations(runtime: PluginRuntime): Array<[string, GuardDefinition]> {
  const guards = ownValue<PluginDefinition['guards']>(runtime.definition, 'guards');
  if (guards === undefined) return [];
  if (!Array.isArray(guards)) return Object.entries(guards as Record<string, GuardDefinition>);
  return (guards as readonly Newable<Guard>[]).map((cls) => {
    const meta = guardMetadata(cls);
    if (meta === undefined) throw invalid(runtime.name, cls.name, 'is listed in `guards` without @Guard(name)');
    return [meta.name, { class: cls, dependsOn: meta.dependsOn }];
  });
}

/**
 * Builds a plugin's guards (classes through a child of the plugin's container, so they can inject its
 * services) as entries named `<plugin>/<guard>`, with `dependsOn` qualified.
 *
 * @throws ModuError `MODU_GUARD_INVALID`, `MODU_LOADER_EXPORT_MISSING`
 */
export async function declareGuards(
  runtime: PluginRuntime,
  scope: ClassScope,
  runsAs: MountedPlugin,
): Promise<GuardEntry[]> {
  const exported = new Set(ownValue<readonly string[]>(ownValue(runtime.manifest, 'exports'), 'guards') ?? []);
  const entries: GuardEntry[] = [];
  for (const [name, definition] of declarations(runtime)) {
    const guard = ObjectHasOwn(definition, 'class')
      ? await build(scope, runtime.name, name, (definition as { class: Newable<Guard> }).class)
      : (definition as Guard);
    if (typeof guard.canActivate !== 'function') throw invalid(runtime.name, name, 'has no canActivate(ctx) function');
    entries.push({
      name: `${runtime.name}/${name}`,
      owner: runtime.name,
      exported: exported.has(name),
      dependsOn: (ownValue<readonly string[]>(definition, 'dependsOn') ?? []).map((dep) =>
        qualifyGuardName(dep, runtime.name),
      ),
      guard,
      runsAs,
      breaker: new CircuitBreaker(runsAs.breakerOptions),
      stats: { failures: 0 },
    });
  }
  const defined = new Set(entries.map((entry) => entry.name));
  const missing = [...exported].filter((name) => !defined.has(`${runtime.name}/${name}`));
  if (missing.length > 0) {
    throw new ModuError(
      'MODU_LOADER_EXPORT_MISSING',
      `Plugin '${runtime.name}' exports guards it does not define: ${missing.join(', ')}; define them or remove them from exports.guards.`,
      { details: { plugin: runtime.name, guards: missing } },
    );
  }
  return entries;
}

/**
 * The child of a plugin's container that builds its guard and controller classes, so that they can inject its
 * services. It is made on first use: most plugins have neither, and a container costs its allocations at every load.
 */
export class ClassScope {
  readonly #parent: Container;
  #container: Container | undefined;

  constructor(runtime: PluginRuntime) {
    this.#parent = runtime.container;
  }

  /** The instance of `cls`, built once, as a singleton of this scope. */
  build<T>(cls: Newable<T>): Promise<T> {
    this.#container ??= new Container({ parent: this.#parent });
    if (!this.#container.isCurrentBound(cls)) this.#container.bind(cls).toSelf().inSingletonScope();
    return this.#container.getAsync<T>(cls);
  }

  /** Unbinds every class it built. */
  release(): Promise<void> {
    return this.#container?.unbindAllAsync() ?? Promise.resolve();
  }
}
