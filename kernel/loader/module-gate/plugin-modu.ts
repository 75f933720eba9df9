/**
 * The `modu` that plugin code imports: the module gate resolves the bare specifier here, for ES modules and
 * CommonJS alike. It re-exports the plugin API that the gate provided rather than importing the kernel, so
 * linking a plugin links two modules instead of the kernel's whole graph (Node walks the full graph of every
 * dynamic import, once per plugin), and plugin code sees the authoring API only.
 */
import { providedPluginApi } from './plugin-api-slot.js';

export const {
  Controller,
  Delete,
  Get,
  Guard,
  inject,
  injectable,
  isReply,
  KERNEL_VERSION,
  ModuError,
  optional,
  Patch,
  Post,
  Put,
  definePlugin,
  deny,
  RequirePermissions,
  reply,
  Service,
  token,
  UseGuards,
} = providedPluginApi();
