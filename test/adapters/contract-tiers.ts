// Where the adapter contract suite's plugins run: in the host process, or each in a process of its own (the same
// code, from fixtures/contract), mounted into the suite's own HTTP layer either way.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { checkPluginCode } from '../../kernel/boot/check-plugin-code.js';
import type { HostConfig } from '../../kernel/config/host-config-schema.js';
import type { PluginHttp } from '../../kernel/http/plugin-http.js';
import type { PluginDefinition, PluginRuntime } from '../../kernel/index.js';
import { PluginIsolation } from '../../kernel/isolation/plugin-isolation.js';
import { readManifest } from '../../kernel/manifest/read-manifest.js';
import { pluginsFolder } from '../helpers/fixtures.js';
import { captureLogger, type PluginSpec, type TestHost } from '../kernel/http/test-host.js';
import { contractSpecs } from './contract-plugins.js';

/** A tier the suite's plugins run in: how to start them into `http`, and to end them. */
export interface ContractTier {
  readonly name: string;
  /** Cases this tier does not run, by title, each with the difference between the tiers that explains it. */
  readonly skips: Readonly<Record<string, string>>;
  start(host: TestHost, http: PluginHttp): Promise<void>;
  stop(): Promise<void>;
}

/** The plugins imported into the host process. */
export function inProcess(): ContractTier {
  return {
    name: 'in process',
    skips: {},
    async start(host, http) {
      for (const spec of contractSpecs) {
        await http.mount(host.runtime(spec));
        http.activate(spec.name);
      }
    },
    stop: async () => undefined,
  };
}

/** Starts `spec`'s process over its folder in `dir` (scanned, no grants); resolves to the host's stand-in. */
async function standIn(isolation: PluginIsolation, dir: string, spec: PluginSpec): Promise<PluginDefinition> {
  const pkg = await readManifest(join(dir, spec.name));
  const report = await checkPluginCode(pkg, [], join(dir, '.scan'));
  const code = {
    generation: report.contentHash,
    scan: { approved: report.approved ?? {}, contentHash: report.contentHash },
  };
  return isolation.definitionOf({ pkg, prepared: { config: spec.config ?? {}, granted: [] } }, code);
}

/** The plugins each in a process of its own under `isolation: process`, the host holding their stand-ins. */
export function isolated(): ContractTier {
  let dir = '';
  let isolation: PluginIsolation | undefined;
  const definitions: PluginDefinition[] = [];
  return {
    name: 'isolated',
    skips: {},
    async start(host, http) {
      dir = await pluginsFolder(...contractSpecs.map((spec) => `contract/${spec.name}`));
      const tier = new PluginIsolation({
        config: { isolation: 'process' } as HostConfig,
        dataDir: join(dir, '.data'),
        logger: captureLogger(host.logs),
        timeoutOf: () => 10_000,
        onDown: (name) => http.deactivate(name),
        onUp: (name) => http.activate(name),
        onFailed: (name) => http.deactivate(name),
      });
      isolation = tier;
      // The processes start side by side; they load in dependency order, each seeing its dependencies' stand-ins.
      const started = await Promise.allSettled(contractSpecs.map((spec) => standIn(tier, dir, spec)));
      for (const result of started) if (result.status === 'fulfilled') definitions.push(result.value);
      const failed = started.find((result) => result.status === 'rejected');
      if (failed !== undefined) throw failed.reason; // stop() ends the processes that did start
      const runtimes = new Map<string, PluginRuntime>();
      for (const [index, spec] of contractSpecs.entries()) {
        const runtime = host.runtime({ ...spec, definition: definitions[index] as PluginDefinition });
        runtimes.set(spec.name, runtime);
        await tier.load(runtime, (name) => runtimes.get(name));
        await http.mount(runtime);
        http.activate(spec.name);
        tier.serving(runtime);
      }
    },
    async stop() {
      await Promise.all(definitions.map((definition) => isolation?.end(definition)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
