import { writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { expect } from 'chai';
import express from 'express';
import { expressHandler } from '../../../adapters/express/index.js';
import { createKernel, type Kernel } from '../../../kernel/index.js';
import { pluginManifest, pluginsFolder, removeScratch, silentLogger, writePlugin } from '../../helpers/fixtures.js';

const ADMIN = 'test-admin-token';

/** A plugin answering GET /<name>/value with its label and its dependencies' labels. */
function valuePlugin(name: string, label: string, deps: string[] = []) {
  const yaml = pluginManifest(
    name,
    `exports:\n  services: [Value]\nroutes:\n  prefix: /${name}\n${deps.length > 0 ? `dependencies:\n${deps.map((d) => `  ${d}: ^1.0.0\n`).join('')}` : ''}`,
  );
  const code = `import { definePlugin } from 'modu';
export default definePlugin({
  services: { Value: { factory: ({ use }) => ({ label: '${label}', deps: ${JSON.stringify(deps)}.map((d) => use(d + '/Value').label) }) } },
  routes: [{ method: 'GET', path: '/value', handler: (ctx) => ctx.use('${name}/Value') }],
});
`;
  return { 'plugin.yaml': yaml, 'index.js': code };
}

describe('Lifecycle over HTTP', () => {
  let kernel: Kernel;
  let server: Server;
  let base: string;
  let dir: string;

  const post = (path: string, token = ADMIN) =>
    fetch(`${base}/_modu/plugins/${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const value = async (name: string) => {
    const response = await fetch(`${base}/${name}/value`);
    const text = await response.text();
    const body = response.ok ? (JSON.parse(text) as { label?: string; deps?: string[] }) : {};
    return { status: response.status, body };
  };

  beforeEach(async () => {
    dir = await pluginsFolder();
    await writePlugin(dir, 'base', valuePlugin('base', 'v1'));
    await writePlugin(dir, 'mid', valuePlugin('mid', 'v1', ['base']));
    await writePlugin(dir, 'top', valuePlugin('top', 'v1', ['mid']));
    await writePlugin(dir, 'core', valuePlugin('core', 'v1'));
    kernel = createKernel({
      pluginDirs: [dir],
      logger: silentLogger,
      endpoints: { adminToken: ADMIN },
      plugins: { core: { required: true } },
    });
    expect((await kernel.start()).ok).to.equal(true);
    const app = express();
    app.use(expressHandler(kernel.http));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await kernel.stop();
  });
  after(removeScratch);

  it('answers a failed reload with its cause while the old generation serves, and reloads once fixed', async () => {
    await writeFile(join(dir, 'base', 'index.js'), 'export default definePlugin({');
    const failed = await post('base/reload');
    expect(failed.status).to.equal(500);
    const problem = (await failed.json()) as { code: string; cause: { code: string }; detail: string };
    expect(problem.code).to.equal('MODU_LIFECYCLE_RELOAD_FAILED');
    // The scan reads the unparsable file first and names it in the cause.
    expect(problem.cause.code)
      .to.be.a('string')
      .and.match(/^MODU_/);
    expect(problem.detail).to.contain('previous generation keeps serving');
    expect(await value('mid')).to.deep.equal({ status: 200, body: { label: 'v1', deps: ['v1'] } });

    await writePlugin(dir, 'base', valuePlugin('base', 'v2'));
    const reloaded = await post('base/reload');
    expect(reloaded.status).to.equal(200);
    expect(((await reloaded.json()) as { dependents: string[] }).dependents).to.deep.equal(['mid', 'top']);
    // The dependent was rebuilt against the new generation.
    expect(await value('mid')).to.deep.equal({ status: 200, body: { label: 'v1', deps: ['v2'] } });
  });

  it('unloads a plugin naming the dependents that went with it, and loads them back', async () => {
    const unloaded = await post('mid/unload');
    expect(unloaded.status).to.equal(200);
    const body = (await unloaded.json()) as { snapshot: { state: string }; dependents: string[] };
    expect([body.snapshot.state, body.dependents]).to.deep.equal(['unloaded', ['top']]);
    expect((await value('top')).status).to.equal(404);

    const loaded = await post('mid/load');
    expect(loaded.status).to.equal(200);
    expect(((await loaded.json()) as { snapshot: { state: string } }).snapshot.state).to.equal('started');
    expect((await post('top/load')).status).to.equal(200);
    expect(await value('top')).to.deep.equal({ status: 200, body: { label: 'v1', deps: ['v1'] } });
  });

  it('answers a load that fails with the failure, and brings a failed plugin back once fixed', async () => {
    await post('top/unload');
    await writeFile(join(dir, 'top', 'index.js'), "throw new Error('broken');");
    const failed = await post('top/load');
    expect(failed.status).to.equal(500);
    expect(((await failed.json()) as { code: string }).code).to.equal('MODU_LOADER_IMPORT_FAILED');
    await writePlugin(dir, 'top', valuePlugin('top', 'v2', ['mid']));
    expect((await post('top/load')).status).to.equal(200);
    expect((await value('top')).body.label).to.equal('v2');
  });

  it('refuses to unload a required plugin over HTTP with 409, and needs the admin token', async () => {
    const refused = await post('core/unload');
    expect(refused.status).to.equal(409);
    expect(((await refused.json()) as { code: string }).code).to.equal('MODU_LIFECYCLE_REQUIRED');
    expect((await value('core')).status).to.equal(200);
    expect((await post('base/load', 'wrong')).status).to.equal(401);
  });

  it('serves every request on the reloaded plugin’s own route while it reloads ten times', async function () {
    this.timeout(120_000); // ten reloads beside a request loop, on a loaded 2-core machine
    let stop = false;
    const statuses = new Map<number, number>();
    const loop = async () => {
      // Bounded: at most 20,000 requests, and it ends with the reloads.
      for (let i = 0; i < 20_000 && !stop; i++) {
        const response = await fetch(`${base}/base/value`);
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      }
    };
    const loops = [loop(), loop()];
    for (let i = 0; i < 10; i++) {
      await writePlugin(dir, 'base', valuePlugin('base', `v${i + 2}`));
      expect((await post('base/reload')).status).to.equal(200);
    }
    stop = true;
    await Promise.all(loops);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    expect(total).to.be.greaterThan(10);
    expect(Object.fromEntries(statuses)).to.deep.equal({ 200: total });
    expect((await value('base')).body.label).to.equal('v11');
  });
});
