import type { Container } from 'inversify';
import type { PluginContext, PluginDefinition } from '../authoring/plugin-definition.js';
import type { PluginService } from '../container/plugin-services.js';
import type { PluginManifest } from '../manifest/manifest-schema.js';

/**
 * A loaded plugin as the kernel's components see it: its manifest, its definition, its own child
 * container, its context (config, logger, service lookup) and the plugins it may draw on.
 */
export interface PluginRuntime {
  readonly name: string;
  readonly version: string;
  readonly root: string;
  readonly manifest: PluginManifest;
  readonly definition: PluginDefinition;
  /** Its services, from either authoring style, with tokens and scopes. */
  readonly services: readonly PluginService[];
  /** The plugin's own child of the kernel's root container. */
  readonly container: Container;
  /** Its singletons, built when it loaded, by token: what a dependent importing one of them gets. */
  readonly singletons: ReadonlyMap<string, unknown>;
  readonly context: PluginContext;
  /** Declared dependencies, plus optional ones that are present: the only plugins whose exports it sees. */
  readonly dependencies: ReadonlySet<string>;
}
