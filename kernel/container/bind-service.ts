import type { Container } from 'inversify';
import type { Newable, PluginContext } from '../authoring/plugin-definition.js';
import { ObjectHasOwn, StringPrototypeIncludes } from '../primordials.js';
import type { Disposables } from './disposables.js';
import type { PluginService } from './plugin-services.js';

/**
 * Binds one service in `container` under its token, and under its bare name as an alias of the token, so that a
 * plugin can name its own services without its own name (`use('Todos')`, `@inject('Todos')`). Built instances are
 * tracked in `disposables` for the end of the scope. `lifetime` is the binding's scope inside `container`: a
 * request-scoped service is a singleton of its request's container. Without `alias`, only the token is bound: nothing
 * in `container` injects by bare name (see injectsByToken).
 */
export function bindService(
  container: Container,
  service: PluginService,
  context: () => PluginContext,
  disposables: Disposables,
  lifetime: 'singleton' | 'transient',
  alias = true,
): void {
  const { definition, token, name } = service;
  if (alias && name !== token) container.bind(name).toService(token);
  const to = container.bind(token);
  // Own properties only: a polluted prototype cannot turn a factory into a constant or a class.
  if (ObjectHasOwn(definition, 'value')) {
    to.toConstantValue((definition as { value: unknown }).value);
    return;
  }
  const bound = ObjectHasOwn(definition, 'class')
    ? to.to((definition as { class: Newable }).class)
    : to.toDynamicValue(() => (definition as { factory: (c: PluginContext) => unknown }).factory(context()));
  const scoped = lifetime === 'singleton' ? bound.inSingletonScope() : bound.inTransientScope();
  // Only what has something to release is tracked, so transient services cannot pile up.
  scoped.onActivation((_ctx, instance) => disposables.track(definition, instance));
}

/** The token a plugin means by `name`: its own service when the name has no `/`, else the name itself. */
export function ownToken(plugin: string, name: unknown): unknown {
  return typeof name === 'string' && !StringPrototypeIncludes(name, '/') ? `${plugin}/${name}` : name;
}
