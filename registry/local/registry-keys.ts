import { archiveFileName } from '../archive/pack-plugin.js';

/** The storage keys of the registry layout (DESIGN.md). Names and versions must be checked first. */
export const registryKeys = {
  config: 'registry.yaml',
  plugins: 'plugins',
  plugin: (name: string) => `plugins/${name}`,
  versions: (name: string) => `plugins/${name}/versions`,
  version: (name: string, version: string) => `plugins/${name}/versions/${version}.yaml`,
  archive: (name: string, version: string) => `plugins/${name}/archives/${archiveFileName(name, version)}`,
  state: (name: string) => `plugins/${name}/state.yaml`,
} as const;
