import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import PQueue from 'p-queue';
import type { RequestContext } from '../../../kernel/index.js';
import { IsolatedPlugin } from '../../../kernel/isolation/isolated-plugin.js';
import { defaultLimits } from '../../../kernel/isolation/isolation-schema.js';
import { processPermissions } from '../../../kernel/isolation/process-permissions.js';
import { runtimeFeatures } from '../../../kernel/runtime-features.js';
import { scanPlugin } from '../../../kernel/scanner/scan-plugin.js';
import { silentLogger } from '../../helpers/fixtures.js';

const SECRET = 'canary-secret-7f3a';
// The source fixtures, not dist/: the copy step drops symbolic links, and one technique is a link.
const corpus = fileURLToPath(new URL('../../../../fixtures/malicious/', import.meta.url));

/** What the probe route found after the plugin's own code (import, onLoad, onStart) ran in its process. */
interface Probe {
  readonly outcome: Readonly<Record<string, unknown>>;
  readonly probe: { spawn: boolean; write: boolean; read: boolean; env: number };
  readonly leaked: boolean;
}

// Runs the plugin's module and hooks, then tries, in the same process, each capability the corpus goes after: a
// process, a file write, a read of a host file, the host's environment. Whatever the plugin did first (polluted
// prototypes, deleted caches, reached `process` by any route), the process must still be unable to do any of them.
const probe = (main: string, canary: string, hostFile: string) => `import { definePlugin } from 'modu';
const outcome = {};
let inner;
try {
  inner = (await import('./${main}')).default;
  outcome.imported = true;
} catch (error) {
  outcome.imported = error.code ?? error.name;
}
function attempt(action) {
  try { action(); return true; } catch { return false; }
}
export default definePlugin({
  routes: [{ method: 'GET', path: '/probe', handler: async () => {
    for (const hook of ['onLoad', 'onStart']) {
      try { await inner?.[hook]?.(); } catch (error) { outcome[hook] = error.code ?? error.name; }
    }
    const p = globalThis.process;
    let exported = '';
    try { exported = JSON.stringify(inner) ?? ''; } catch {}
    return {
      outcome,
      probe: {
        spawn: attempt(() => p.getBuiltinModule('child_process').execFileSync(p.execPath, ['-v'])),
        write: attempt(() => p.getBuiltinModule('fs').writeFileSync(${JSON.stringify(canary)}, 'x')),
        read: attempt(() => p.getBuiltinModule('fs').readFileSync(${JSON.stringify(hostFile)})),
        env: Object.keys(p.env).length,
      },
      leaked: exported.includes(${JSON.stringify(SECRET)}),
    };
  } }],
});
`;

async function runIsolated(scratch: string, name: string): Promise<Probe | { ended: string }> {
  const root = join(scratch, name);
  await cp(join(corpus, name), root, { recursive: true, verbatimSymlinks: true });
  const canary = join(scratch, `${name}.canary`);
  await writeFile(join(root, 'modu-probe.mjs'), probe('index.js', canary, join(scratch, 'host-secret.txt')));
  const manifest = { name: `mal-${name}`, version: '1.0.0', main: 'modu-probe.mjs', kernel: '^1.0.0' };
  // The scan approves the files it read (what the child's module gate lets load); its findings are out of the way.
  const scan = await scanPlugin(root, { cacheDir: join(scratch, 'scan-cache') });
  const plugin = new IsolatedPlugin({
    init: {
      pkg: { root, manifestFile: join(root, 'plugin.yaml'), manifest, entry: join(root, 'modu-probe.mjs') },
      config: {},
      granted: [],
      generation: '1',
      scan: { approved: scan.approved ?? {}, contentHash: scan.contentHash },
    },
    limits: { ...defaultLimits, requestTimeoutMs: 15_000, memoryMb: 96 },
    permissions: processPermissions({
      root,
      granted: [],
      dataDir: join(scratch, 'data'),
      memoryMb: 96,
      features: runtimeFeatures(),
    }),
    logger: silentLogger,
    timeoutOf: () => 10_000,
    hostCall: () => Promise.reject(new Error('no dependencies')),
    onDown: () => undefined,
    onUp: () => undefined,
    onFailed: () => undefined,
  });
  try {
    await plugin.start();
    await plugin.load({ dependencies: [] });
    const ctx = {
      method: 'GET',
      path: '/probe',
      params: {},
      query: {},
      headers: {},
      principal: undefined,
      plugin: name,
      signal: new AbortController().signal,
    };
    const answer = await plugin.route(0, ctx as unknown as RequestContext);
    if (answer.status !== 200) return { ended: `status ${answer.status}` };
    return JSON.parse(String(answer.body)) as Probe;
  } catch (error) {
    return { ended: String((error as Error).message) };
  } finally {
    await plugin.end(5_000);
  }
}

describe('the malicious corpus, each plugin isolated with no grants and the scan out of the way', function () {
  this.timeout(600_000);
  const names = readdirSync(corpus).sort();
  const results = new Map<string, Probe | { ended: string }>();
  let scratch: string;

  before(async () => {
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    scratch = await mkdtemp(join(tmpdir(), 'modu-corpus-'));
    await writeFile(join(scratch, 'host-secret.txt'), SECRET);
    const queue = new PQueue({ concurrency: 4 });
    await Promise.all(names.map((name) => queue.add(async () => results.set(name, await runIsolated(scratch, name)))));
  });
  after(() => {
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  it('runs every technique of the corpus, and the probe after nearly all of them', () => {
    expect(results.size).to.be.at.least(60);
    const ended = [...results]
      .filter(([, result]) => 'ended' in result)
      .map(([name, result]) => `${name}: ${JSON.stringify(result)}`);
    expect(ended.length, ended.join('; ')).to.be.below(5);
  });

  for (const name of names) {
    it(`${name}: its process can spawn nothing, write nothing, read no host file, see no host variable`, async () => {
      const result = results.get(name);
      expect(result, name).to.not.equal(undefined);
      expect(existsSync(join(scratch, `${name}.canary`)), 'canary written').to.equal(false);
      if (result === undefined || 'ended' in result) return; // its process ended: it obtained nothing either
      expect(result.probe, JSON.stringify(result.outcome)).to.deep.equal({
        spawn: false,
        write: false,
        read: false,
        env: 0,
      });
      expect(result.leaked).to.equal(false);
      expect(await readFile(join(scratch, name, 'plugin.yaml'), 'utf8')).to.include(`mal-${name}`);
    });
  }
});
