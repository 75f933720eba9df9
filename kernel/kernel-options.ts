import type { Logger } from './authoring/plugin-definition.js';
import type { HostConfig } from './config/host-config-schema.js';
import type { HttpMount } from './lifecycle/http-mount.js';
import type { CodeLoader } from './loader/code-loader.js';

/**
 * Options of {@link createKernel}: the host configuration (the same fields as modu.yaml, checked
 * against the same schema) plus what only code can pass.
 */
export interface KernelOptions extends Omit<HostConfig, 'pluginDirs'> {
  /** Folders holding plugin folders. */
  readonly pluginDirs: readonly string[];
  /** A pino-compatible logger; by default pino at MODU_LOG_LEVEL (info) on stderr. */
  readonly logger?: Logger;
  /** Environment for MODU_PLUGIN_<NAME>__* config overrides; by default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Names the configuration in error messages, e.g. the modu.yaml path. */
  readonly source?: string;
  /** Replaces the HTTP layer (routes, guards); by default the kernel's own. */
  readonly http?: HttpMount;
  /** Replaces how plugin code is imported; by default the module gate. */
  readonly code?: CodeLoader;
}
