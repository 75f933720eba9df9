// The plugin API: what plugin code gets when it imports `modu` (the module gate hands it this module's exports,
// see loader/module-gate/plugin-api.ts). The host entry (index.ts) re-exports all of it. Host functions never
// belong here: a plugin that could reach the module gate could admit itself with any grant.
export { inject, injectable, optional } from 'inversify';
export type {
  AnyConfig,
  GuardDefinition,
  GuardDenial,
  GuardVerdict,
  HookContext,
  HttpMethod,
  LifecycleHook,
  Logger,
  Newable,
  PluginContext,
  PluginDefinition,
  Principal,
  RequestContext,
  RouteDefinition,
  ServiceDefinition,
  ServiceLookup,
  ServiceScope,
  Token,
} from './authoring/plugin-definition.js';
export { definePlugin, token } from './authoring/plugin-definition.js';
export {
  Controller,
  Delete,
  Get,
  Guard,
  Patch,
  Post,
  Put,
  RequirePermissions,
  UseGuards,
} from './authoring/route-decorators.js';
export { Service } from './container/service-decorator.js';
export { ModuError } from './errors/modu-error.js';
export { deny } from './guards/deny.js';
export type { Reply } from './http/reply.js';
export { isReply, reply } from './http/reply.js';
export { KERNEL_VERSION } from './version.js';
