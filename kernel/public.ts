// `modu`, the package's host entry: the plugin API (kernel/plugin-api.ts) and what a host needs to embed the kernel.
// Everything else of the kernel (discovery, scanner, module gate, graph, validation…) is kernel/index.ts, the
// internal entry that adapters/, registry/ and cli/ use, kept out of the package's `exports`. test/public-api.txt
// pins both lists of names, so that a change to the public surface is always deliberate.
// One Reflect metadata polyfill for the host and every plugin; the kernel's error codes registered.
import 'reflect-metadata';
import './errors/kernel-errors.js';

export type { BootReport, StopReport } from './boot/boot-report.js';
export type { CriticalPath } from './boot/critical-path.js';
export type { HostConfig, PluginHostConfig } from './config/host-config-schema.js';
export type { LoadedHostConfig } from './config/load-host-config.js';
export { loadHostConfig } from './config/load-host-config.js';
export type { ErrorCode, ErrorCodes, ErrorDetails, ModuErrorOptions } from './errors/modu-error.js';
export type { RouteInfo } from './http/compiled-route.js';
export { composeHandlers, notFoundHandler } from './http/compose-handlers.js';
export type { NeutralHandler, NeutralRequest, NeutralResponse } from './http/neutral.js';
export type { Problem } from './http/problem.js';
export type { Kernel } from './kernel.js';
export { createKernel } from './kernel.js';
export type { KernelOptions } from './kernel-options.js';
export * from './plugin-api.js';
export type { ErrorReport, PluginPhase, PluginSnapshot, PluginState } from './runtime/plugin-snapshot.js';
export type { KernelEvents, PluginStateChange } from './runtime/plugin-table.js';
