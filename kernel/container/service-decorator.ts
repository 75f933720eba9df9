import { injectable } from 'inversify';
import type { Newable, ServiceScope } from '../authoring/plugin-definition.js';

const serviceMeta = Symbol.for('modu.service');

/** What `@Service()` records on a class. */
export interface ServiceMetadata {
  readonly name: string;
  readonly scope: ServiceScope;
}

/**
 * Marks a class as a plugin service, bound as `<plugin>/<name>` (the class name by default) and
 * built by the plugin's container, so its constructor can `@inject` other tokens.
 *
 * @example
 * @Service('UserDirectory')
 * class UserDirectory { constructor(@inject('storage/Store') private readonly store: Store) {} }
 */
export function Service(name?: string, options: { readonly scope?: ServiceScope } = {}): ClassDecorator {
  return (target) => {
    injectable()(target);
    const metadata: ServiceMetadata = { name: name ?? target.name, scope: options.scope ?? 'singleton' };
    Object.defineProperty(target, serviceMeta, { value: metadata });
  };
}

/** The `@Service()` metadata of a class, or its name and singleton scope when undecorated. */
export function serviceMetadata(target: Newable): ServiceMetadata {
  const found = (target as unknown as Record<symbol, ServiceMetadata | undefined>)[serviceMeta];
  return found ?? { name: target.name, scope: 'singleton' };
}
