import { resolve } from 'node:path';
import { pino } from 'pino';
import {
  type BootReport,
  createKernel,
  type Kernel,
  type KernelOptions,
  type Logger,
  ModuError,
  type PluginHostConfig,
} from '../kernel/index.js';
import { type InjectRequest, type InjectResponse, inject } from './inject.js';

/** Options of {@link createTestKernel}. */
export interface TestKernelOptions {
  /** The folder(s) holding the plugin folders, as `pluginDirs` in modu.yaml (relative to the current folder). */
  readonly plugins: string | readonly string[];
  /** Each plugin's config (`plugins.<name>.config` in modu.yaml). */
  readonly config?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Each plugin's capability grants (`plugins.<name>.grants`). */
  readonly grants?: Readonly<Record<string, readonly string[]>>;
  /**
   * Test doubles: for the plugin under test, the value it gets instead of a dependency's exported service, by
   * token: `{ todos: { 'auth/Tokens': fakeTokens } }`. Every other plugin still gets the real service.
   */
  readonly doubles?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Any other host option (timeouts, bodyLimitBytes, endpoints, cacheDir, …). */
  readonly host?: Omit<KernelOptions, 'pluginDirs' | 'doubles'>;
  /** Where logs go; silent by default. */
  readonly logger?: Logger;
  /** Environment for MODU_PLUGIN_* overrides; empty by default, so the machine's variables cannot leak in. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Resolve even when a plugin failed or was skipped (default: reject naming each one). */
  readonly allowFailures?: boolean;
}

/** A started kernel for tests: every {@link Kernel} method, the boot report, and `inject`. */
export interface TestKernel extends Kernel {
  /** The report of the boot that {@link createTestKernel} ran. */
  readonly report: BootReport;
  /** Sends a request through the full route pipeline, without a socket. */
  inject(request: InjectRequest): Promise<InjectResponse>;
}

function pluginSections(options: TestKernelOptions): Record<string, PluginHostConfig> {
  const sections: Record<string, PluginHostConfig> = { ...options.host?.plugins };
  for (const [name, config] of Object.entries(options.config ?? {})) sections[name] = { ...sections[name], config };
  for (const [name, grants] of Object.entries(options.grants ?? {}))
    sections[name] = { ...sections[name], grants: [...grants] };
  return sections;
}

function bootFailure(report: BootReport): ModuError {
  const failed = report.plugins.filter((p) => p.state !== 'started');
  const lines = failed.map((p) => {
    const error = p.failure?.error;
    return `${p.name}: ${p.state} in ${p.failure?.phase ?? '?'}: ${error?.code ?? ''} ${error?.message ?? ''}`.trim();
  });
  return new ModuError('MODU_TESTING_BOOT_FAILED', `Plugins did not start:\n${lines.join('\n')}`, {
    details: { plugins: failed.map(({ name, state, failure }) => ({ name, state, failure })) },
  });
}

/**
 * Creates and starts a kernel over a plugins folder for tests, with config, grants and test doubles given in code;
 * `inject()` runs requests through guards, permissions, body limits and problem responses without a socket.
 * Call `stop()` when done.
 *
 * @throws ModuError `MODU_TESTING_BOOT_FAILED` naming each plugin that did not start (unless `allowFailures`)
 * @example
 * const kernel = await createTestKernel({ plugins: 'plugins', config: { hello: { greeting: 'Hi' } } });
 * const res = await kernel.inject({ url: '/hello/ada' });
 * assert.equal(res.json().message, 'Hi, ada');
 * await kernel.stop();
 */
export async function createTestKernel(options: TestKernelOptions): Promise<TestKernel> {
  const dirs = typeof options.plugins === 'string' ? [options.plugins] : options.plugins;
  const kernel = createKernel({
    ...options.host,
    pluginDirs: dirs.map((dir) => resolve(dir)),
    plugins: pluginSections(options),
    logger: options.logger ?? (pino({ level: 'silent' }) as unknown as Logger),
    env: options.env ?? {},
    source: options.host?.source ?? 'createTestKernel options',
    ...(options.doubles === undefined ? {} : { doubles: options.doubles }),
  });
  const report = await kernel.start();
  if (!report.ok && options.allowFailures !== true) {
    await kernel.stop();
    throw bootFailure(report);
  }
  return testKernel(kernel, report);
}

function testKernel(kernel: Kernel, report: BootReport): TestKernel {
  return {
    report,
    inject: (request) => inject(kernel.http, request),
    start: () => kernel.start(),
    stop: () => kernel.stop(),
    load: (name) => kernel.load(name),
    unload: (name) => kernel.unload(name),
    reload: (name) => kernel.reload(name),
    snapshot: () => kernel.snapshot(),
    routes: () => kernel.routes(),
    metrics: kernel.metrics,
    http: kernel.http,
    on: (event, listener) => kernel.on(event, listener),
    off: (event, listener) => kernel.off(event, listener),
  };
}
