import './errors/kernel-errors.js';

export type {
  GuardDefinition,
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
export { definePlugin, isPluginDefinition, token } from './authoring/plugin-definition.js';
export type {
  ControllerMetadata,
  ControllerRouteMetadata,
  GuardClassMetadata,
} from './authoring/route-decorators.js';
export {
  Controller,
  controllerMetadata,
  Delete,
  Get,
  Guard,
  guardMetadata,
  Patch,
  Post,
  Put,
  RequirePermissions,
  UseGuards,
} from './authoring/route-decorators.js';
export type { ErrorSpec } from './errors/catalogue.js';
export { defineErrors, errorCatalogue, errorSpec } from './errors/catalogue.js';
export type { ErrorDetails, ModuErrorOptions } from './errors/modu-error.js';
export { ModuError } from './errors/modu-error.js';
export type { GuardOwnership, GuardRequester } from './guards/guard-access.js';
export { canUseGuard } from './guards/guard-access.js';
export { missingPermissions, permissionCovers } from './guards/missing-permissions.js';
export type { BreakerOptions, BreakerState } from './http/circuit-breaker.js';
export type { RouteInfo } from './http/compiled-route.js';
export { composeHandlers, notFoundHandler } from './http/compose-handlers.js';
export type { HostControl, HostEndpointsOptions } from './http/host-endpoints.js';
export { hostEndpoints } from './http/host-endpoints.js';
export type { NeutralHandler, NeutralRequest, NeutralResponse } from './http/neutral.js';
export type { PluginHttp, PluginHttpOptions } from './http/plugin-http.js';
export { createPluginHttp } from './http/plugin-http.js';
export type { Problem } from './http/problem.js';
export { PROBLEM_JSON, problemResponse } from './http/problem.js';
export type { Reply } from './http/reply.js';
export { isReply, reply } from './http/reply.js';
export type { PluginManifest } from './manifest/manifest-schema.js';
export { manifestSchema } from './manifest/manifest-schema.js';
export type { PluginPackage } from './manifest/read-manifest.js';
export { checkManifest, MANIFEST_FILE, readManifest } from './manifest/read-manifest.js';
export type { PluginRuntime } from './runtime/plugin-runtime.js';
export type { ErrorReport, PluginPhase, PluginSnapshot, PluginState } from './runtime/plugin-snapshot.js';
export type { ScanFinding, ScanReport } from './scanner/scan-types.js';
export type { YamlFile } from './validation/read-yaml-file.js';
export { parseYaml, readYamlFile } from './validation/read-yaml-file.js';
export type { ValidationProblem, ValidationSource } from './validation/validate.js';
export { formatProblems, validate } from './validation/validate.js';
