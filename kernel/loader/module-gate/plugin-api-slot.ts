import type { PluginApi } from './plugin-api.js';

let provided: PluginApi | undefined;

/** Hands the plugin API to plugin-modu.js; the module gate calls it once, before any plugin code loads. */
export function providePluginApi(api: PluginApi): void {
  provided ??= api;
}

/** The plugin API that the module gate provided. */
export function providedPluginApi(): PluginApi {
  if (provided === undefined) throw new Error('modu: plugin code was loaded outside the module gate');
  return provided;
}
