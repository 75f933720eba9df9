// One Reflect metadata polyfill for the host and every plugin: decorator metadata is shared through it.
import 'reflect-metadata';
import './errors/kernel-errors.js';

export { isPluginDefinition } from './authoring/plugin-definition.js';
export type {
  ControllerMetadata,
  ControllerRouteMetadata,
  GuardClassMetadata,
} from './authoring/route-decorators.js';
export { controllerMetadata, guardMetadata } from './authoring/route-decorators.js';
export type { BootReport, StopReport } from './boot/boot-report.js';
export type { CriticalPath } from './boot/critical-path.js';
export {
  builtinCapability,
  capabilityCatalogue,
  isHarmlessBuiltin,
  normaliseCapability,
  SPECIAL_CAPABILITIES,
} from './capabilities/capability-catalogue.js';
export type { CapabilityCheck, CapabilityProblem } from './capabilities/check-capabilities.js';
export { assertCapabilities, checkCapabilities } from './capabilities/check-capabilities.js';
export { applyEnvOverrides, envName } from './config/apply-env-overrides.js';
export type { HostConfig, PluginHostConfig } from './config/host-config-schema.js';
export { hostConfigSchema } from './config/host-config-schema.js';
export type { LoadedHostConfig } from './config/load-host-config.js';
export { loadHostConfig } from './config/load-host-config.js';
export { resolvePluginConfig } from './config/plugin-config.js';
export type { PluginService } from './container/plugin-services.js';
export { pluginServices } from './container/plugin-services.js';
export { defaultLogger } from './default-logger.js';
export type { Discovery, DiscoveryOptions, DiscoveryProblem } from './discovery/discover-plugins.js';
export { discoverPlugins } from './discovery/discover-plugins.js';
export type { ErrorSpec } from './errors/catalogue.js';
export { defineErrors, errorCatalogue, errorSpec } from './errors/catalogue.js';
export type { ErrorCode, ErrorCodes, ErrorDetails, ModuErrorOptions } from './errors/modu-error.js';
export type { DependencyGraph, GraphInput, GraphProblem } from './graph/dependency-graph.js';
export { resolveGraph } from './graph/dependency-graph.js';
export type { PluginExplanation } from './graph/explain-plugin.js';
export { explainPlugin } from './graph/explain-plugin.js';
export { findCycles } from './graph/find-cycles.js';
export type { LoadWave } from './graph/plan-waves.js';
export { planWaves } from './graph/plan-waves.js';
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
export type { Kernel } from './kernel.js';
export { createKernel } from './kernel.js';
export type { KernelOptions } from './kernel-options.js';
export type { ModuleGate } from './loader/module-gate/module-gate.js';
export { gateDenial, moduleGate } from './loader/module-gate/module-gate.js';
export type { PluginManifest } from './manifest/manifest-schema.js';
export { manifestSchema } from './manifest/manifest-schema.js';
export type { PluginPackage } from './manifest/read-manifest.js';
export { checkManifest, MANIFEST_FILE, readManifest } from './manifest/read-manifest.js';
// The plugin API (what plugin code gets as `modu`), then what only a host uses.
export * from './plugin-api.js';
export type { PluginRuntime } from './runtime/plugin-runtime.js';
export type { ErrorReport, PluginPhase, PluginSnapshot, PluginState } from './runtime/plugin-snapshot.js';
export type { KernelEvents, PluginStateChange } from './runtime/plugin-table.js';
export { type RuntimeFeatures, runtimeFeatures } from './runtime-features.js';
export type { RuntimeReport } from './runtime-report.js';
export { IGNORE_FILE, IgnoreList } from './scanner/ignore-list.js';
export type { SourceType } from './scanner/parse-source.js';
export type { ScanLimits } from './scanner/scan-limits.js';
export { DEFAULT_SCAN_LIMITS } from './scanner/scan-limits.js';
export type { ScanPluginOptions } from './scanner/scan-plugin.js';
export { SCANNER_VERSION, scanPlugin } from './scanner/scan-plugin.js';
export type { ScanRule } from './scanner/scan-rules.js';
export { SCAN_RULES } from './scanner/scan-rules.js';
export type { ScanSourceOptions } from './scanner/scan-source.js';
export { scanSource } from './scanner/scan-source.js';
export type { ApprovedFile, ApprovedGoal, ScanFinding, ScanReport } from './scanner/scan-types.js';
export type { YamlFile } from './validation/read-yaml-file.js';
export { parseYaml, readYamlFile } from './validation/read-yaml-file.js';
export type { ValidationProblem, ValidationSource } from './validation/validate.js';
export { checkSchema, formatProblems, validate } from './validation/validate.js';
