import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import express from 'express';
import { expressHandler } from '../adapters/express/index.js';
import { createKernel, KERNEL_VERSION, type Kernel } from '../kernel/index.js';
import { block } from './helpers/code-blocks.js';
import { pluginsFolder, removeScratch, silentLogger, writePlugin } from './helpers/fixtures.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('README', () => {
  let kernel: Kernel;
  let server: Server;
  after(async () => {
    server?.close();
    await kernel?.stop();
    await removeScratch();
  });

  it('shows a plugin that runs as written, embedded in Express as shown', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const dir = await pluginsFolder('example/plugins/auth');
    await writePlugin(dir, 'greeter', {
      'plugin.yaml': block(readme, '# plugins/greeter/plugin.yaml'),
      'index.js': block(readme, '// plugins/greeter/index.js'),
    });
    const tokens = {
      reader: { id: 'ada', permissions: ['greet:read'] },
      other: { id: 'bob', permissions: ['todos:read'] },
    };
    kernel = createKernel({
      pluginDirs: [dir],
      logger: silentLogger,
      plugins: { auth: { required: true, grants: ['node:crypto'], config: { tokens } } },
    });
    const report = await kernel.start();
    expect(report.ok, JSON.stringify(report.plugins)).to.equal(true);
    server = createServer(express().use(expressHandler(kernel.http))).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/greeter/Ada`;

    const greeted = await fetch(url, { headers: { authorization: 'Bearer reader' } });
    expect(await greeted.json()).to.deep.equal({ message: 'Hello, Ada' });
    expect((await fetch(url, { headers: { authorization: 'Bearer other' } })).status).to.equal(403);
    expect((await fetch(url)).status).to.equal(401);
  });

  it('names the version package.json declares', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { version: string };
    expect(KERNEL_VERSION).to.equal(pkg.version);
  });
});
