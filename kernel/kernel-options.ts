import type { Logger } from './authoring/plugin-definition.js';
import type { HostConfig } from './config/host-config-schema.js';

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
  /**
   * Test doubles, for tests only (`createTestKernel` from `modu/testing` sets them): plugin name → a token it imports
   * from a dependency (`auth/Tokens`) → the value it gets instead. Other plugins still get the real service.
   */
  readonly doubles?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}
