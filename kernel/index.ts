import './errors/kernel-errors.js';

export type {
  Guard,
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
export {
  builtinCapability,
  capabilityCatalogue,
  isHarmlessBuiltin,
  normaliseCapability,
  SPECIAL_CAPABILITIES,
} from './capabilities/capability-catalogue.js';
export type { CapabilityCheck, CapabilityProblem } from './capabilities/check-capabilities.js';
export { assertCapabilities, checkCapabilities } from './capabilities/check-capabilities.js';
export type { ErrorSpec } from './errors/catalogue.js';
export { defineErrors, errorCatalogue, errorSpec } from './errors/catalogue.js';
export type { ErrorDetails, ModuErrorOptions } from './errors/modu-error.js';
export { ModuError } from './errors/modu-error.js';
export type { NeutralHandler, NeutralRequest, NeutralResponse } from './http/neutral.js';
export type { ModuleGate } from './loader/module-gate/module-gate.js';
export { gateDenial, moduleGate } from './loader/module-gate/module-gate.js';
export type { PluginManifest } from './manifest/manifest-schema.js';
export { manifestSchema } from './manifest/manifest-schema.js';
export type { PluginPackage } from './manifest/read-manifest.js';
export { checkManifest, MANIFEST_FILE, readManifest } from './manifest/read-manifest.js';
export type { PluginRuntime } from './runtime/plugin-runtime.js';
export type { SourceType } from './scanner/parse-source.js';
export type { ScanLimits } from './scanner/scan-limits.js';
export { DEFAULT_SCAN_LIMITS } from './scanner/scan-limits.js';
export type { ScanPluginOptions } from './scanner/scan-plugin.js';
export { SCANNER_VERSION, scanPlugin } from './scanner/scan-plugin.js';
export type { ScanRule } from './scanner/scan-rules.js';
export { SCAN_RULES } from './scanner/scan-rules.js';
export type { ScanSourceOptions } from './scanner/scan-source.js';
export { scanSource } from './scanner/scan-source.js';
export type { ScanFinding, ScanReport } from './scanner/scan-types.js';
export type { YamlFile } from './validation/read-yaml-file.js';
export { parseYaml, readYamlFile } from './validation/read-yaml-file.js';
export type { ValidationProblem, ValidationSource } from './validation/validate.js';
export { formatProblems, validate } from './validation/validate.js';
