import type { Newable, PluginDefinition, ServiceDefinition, ServiceScope } from '../authoring/plugin-definition.js';
import { ModuError } from '../errors/modu-error.js';
import { ObjectHasOwn, ownValue } from '../primordials.js';
import { serviceMetadata } from './service-decorator.js';

/** One service of a plugin, normalised from either authoring style. */
export interface PluginService {
  /** The name inside the plugin; the token is `<plugin>/<name>`. */
  readonly name: string;
  readonly token: string;
  readonly scope: ServiceScope;
  readonly definition: ServiceDefinition;
}

const serviceName = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

function isNewable(value: unknown): value is Newable {
  return typeof value === 'function';
}

function fromEntry(plugin: string, name: string, entry: ServiceDefinition | Newable): PluginService {
  if (!serviceName.test(name)) {
    throw new ModuError('MODU_LOADER_DEFINITION_INVALID', `Plugin '${plugin}' has an invalid service name "${name}".`, {
      details: { plugin, service: name },
      hint: 'Name services like identifiers (letters, digits, _ $ -); the token becomes <plugin>/<name>.',
    });
  }
  const definition: ServiceDefinition = isNewable(entry)
    ? { class: entry, scope: serviceMetadata(entry).scope }
    : entry;
  const scope = ObjectHasOwn(definition, 'value')
    ? 'singleton'
    : (ownValue<ServiceScope>(definition, 'scope') ?? 'singleton');
  return { name, token: `${plugin}/${name}`, scope, definition };
}

/**
 * Lists a definition's services with their tokens, from a record (`{ Store: { factory } }`) or an
 * array of `@Service()` classes. @throws ModuError `MODU_LOADER_DEFINITION_INVALID`
 */
export function pluginServices(plugin: string, definition: PluginDefinition): PluginService[] {
  const services = ownValue<PluginDefinition['services']>(definition, 'services');
  if (services === undefined) return [];
  const entries: Array<[string, ServiceDefinition | Newable]> = Array.isArray(services)
    ? services.map((cls: Newable) => [serviceMetadata(cls).name, cls])
    : Object.entries(services);
  const seen = new Set<string>();
  return entries.map(([name, entry]) => {
    if (seen.has(name)) {
      throw new ModuError('MODU_LOADER_DEFINITION_INVALID', `Plugin '${plugin}' defines service ${name} twice.`, {
        details: { plugin, service: name },
        hint: 'Give each service its own name.',
      });
    }
    seen.add(name);
    return fromEntry(plugin, name, entry);
  });
}
