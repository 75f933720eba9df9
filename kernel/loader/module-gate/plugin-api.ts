import { hardenShared } from '../../facades/harden-shared.js';
import * as api from '../../plugin-api.js';

/**
 * What plugin code gets when it imports `modu`: the authoring API of kernel/plugin-api.ts (the one list), and none
 * of the host's functions (`createKernel`, `moduleGate`, the scanner, the config loaders). A plugin that could reach
 * the module gate could admit itself with any grant. Frozen deeply (each class, its prototype, each function): a
 * plugin that rewrites `ModuError.is` or `ModuError.prototype.toJSON` changes them for no one.
 */
export const pluginApi = hardenShared({ ...api });

/** The shape of {@link pluginApi}. */
export type PluginApi = typeof pluginApi;
