import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type RuntimeReport, runtimeFeatures } from '../../kernel/index.js';
import { pluginManifest, pluginsFolder, removeScratch, writePlugin } from '../helpers/fixtures.js';

const kernelModule = new URL('../../kernel/index.js', import.meta.url).href;

/** Boots one plugin in a fresh process with `cacheDir` and returns the boot report's runtime part. */
async function bootInChild(cacheDir: string, env: NodeJS.ProcessEnv = {}): Promise<RuntimeReport> {
  const dir = await pluginsFolder();
  await writePlugin(dir, 'one', {
    'plugin.yaml': pluginManifest('one'),
    'index.js': "import { definePlugin } from 'modu';\nexport default definePlugin({});\n",
  });
  const script = `
    const { createKernel } = await import(${JSON.stringify(kernelModule)});
    const kernel = createKernel({ pluginDirs: [${JSON.stringify(dir)}], cacheDir: ${JSON.stringify(cacheDir)} });
    const report = await kernel.start();
    await kernel.stop();
    console.log(JSON.stringify({ ok: report.ok, runtime: report.runtime }));`;
  const { NODE_COMPILE_CACHE: _, ...inherited } = process.env;
  const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...inherited, MODU_LOG_LEVEL: 'silent', ...env },
  });
  const { ok, runtime } = JSON.parse(run.stdout) as { ok: boolean; runtime: RuntimeReport };
  expect(ok).to.equal(true);
  return runtime;
}

describe('the boot report on the running Node', () => {
  after(removeScratch);
  const features = runtimeFeatures();

  it('says which Node ran, how the module gate hooked imports, and the permission flag', async () => {
    const cacheDir = join(await pluginsFolder(), 'cache');
    const runtime = await bootInChild(cacheDir);
    expect(runtime).to.include({
      node: process.versions.node,
      moduleHooks: features.registerHooks ? 'registerHooks' : 'register',
      permissionFlag: features.permissionFlag ?? null,
      allowNet: features.allowNet,
    });
  });

  it('says the compile cache is off when the host did not turn it on, and leaves it off', async () => {
    const cacheDir = join(await pluginsFolder(), 'cache');
    expect((await bootInChild(cacheDir)).compileCache).to.equal(null);
    expect(await readdir(cacheDir)).to.not.include('compile');
  });

  it('names the compile cache the host turned on (NODE_COMPILE_CACHE), which then holds the plugin code', async function () {
    if (!features.compileCache) this.skip();
    const hostCache = join(await pluginsFolder(), 'host-compile-cache');
    const runtime = await bootInChild(join(await pluginsFolder(), 'cache'), { NODE_COMPILE_CACHE: hostCache });
    // Node keeps one folder per Node version inside, and writes the cache into it when the process exits.
    expect(dirname(runtime.compileCache ?? '')).to.equal(hostCache);
    expect(await readdir(runtime.compileCache as string)).to.not.be.empty;
  });
});
