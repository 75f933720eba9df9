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
  const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, MODU_LOG_LEVEL: 'silent', ...env },
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

  it("keeps plugin code's compile cache under cacheDir/compile where Node has one, and says so", async () => {
    const cacheDir = join(await pluginsFolder(), 'cache');
    const runtime = await bootInChild(cacheDir);
    if (!features.compileCache) return expect(runtime.compileCache).to.equal(null);
    // Node keeps one folder per Node version inside, and writes the cache into it when the process exits.
    expect(dirname(runtime.compileCache ?? '')).to.equal(join(cacheDir, 'compile'));
    expect(await readdir(runtime.compileCache as string)).to.not.be.empty;
  });

  it('keeps a compile cache the host turned on before the kernel', async function () {
    if (!features.compileCache) this.skip();
    const hostCache = join(await pluginsFolder(), 'host-compile-cache');
    const runtime = await bootInChild(join(await pluginsFolder(), 'cache'), { NODE_COMPILE_CACHE: hostCache });
    expect(dirname(runtime.compileCache ?? '')).to.equal(hostCache);
  });
});
