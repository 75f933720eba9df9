import * as api from '../../plugin-api.js';

/**
 * What plugin code gets when it imports `modu`: the authoring API of kernel/plugin-api.ts, and none of the host's
 * functions (`createKernel`, `moduleGate`, the scanner, the config loaders).
 */
export const pluginApi = Object.freeze({ ...api });

/** The shape of {@link pluginApi}. */
export type PluginApi = typeof pluginApi;
