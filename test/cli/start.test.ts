import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { runtimeFeatures } from '../../kernel/index.js';
import { waitListening } from '../helpers/wait-listening.js';

const bin = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));
const adminToken = 'test-admin-token-0123456789';

/** Runs `modu start` with no config flags (the bundled example app) and waits until it listens. */
async function startHost(adapter: string): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--adapter', adapter], {
    env: { ...process.env, MODU_LOG_LEVEL: 'silent', MODU_ADMIN_TOKEN: adminToken },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // The example app starts one plugin in a process of its own (audit, isolated): on a loaded machine that takes seconds.
  const url = await waitListening(child, () => output, 60_000);
  return { child, url, output: () => output };
}

const as = (token: string, init: RequestInit = {}): RequestInit => ({
  ...init,
  headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
});

for (const adapter of ['express', 'koa']) {
  describe(`modu start --adapter ${adapter}`, function () {
    this.timeout(90_000);
    let host: Awaited<ReturnType<typeof startHost>>;

    before(async () => {
      host = await startHost(adapter);
    });
    after(() => {
      if (host.child.exitCode === null) host.child.kill('SIGKILL');
    });

    it('serves the example app: health, a decorated controller, a CommonJS plugin, guards and permissions', async () => {
      const health = await fetch(`${host.url}/_modu/health`);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.equal({ status: 'ok', plugins: 6 });

      const alice = await fetch(`${host.url}/users/alice`, as('alice-token'));
      expect(await alice.json()).to.deep.equal({ id: 'alice', name: 'Alice' });

      const anonymous = await fetch(`${host.url}/users/alice`);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.headers.get('content-type')).to.contain('application/problem+json');

      const created = await fetch(
        `${host.url}/todos`,
        as('bob-token', { method: 'POST', body: '{"title":"ship it"}' }),
      );
      expect(await created.json()).to.include({ owner: 'bob', title: 'ship it' });

      const notAdmin = await fetch(
        `${host.url}/users`,
        as('bob-token', { method: 'POST', body: '{"id":"x","name":"X"}' }),
      );
      expect(notAdmin.status).to.equal(403);

      const audit = await fetch(`${host.url}/audit`, as('alice-token'));
      expect((await audit.json()) as unknown[]).to.have.length(1);
    });

    it('says in its boot output which Node runs it and how the module gate hooks imports', () => {
      const hooks = runtimeFeatures().registerHooks ? 'in-thread (module.registerHooks)' : 'on the hooks thread';
      expect(host.output()).to.contain(`node ${process.versions.node}: module gate ${hooks}`);
    });

    it('reloads a plugin through the admin endpoint without a restart', async () => {
      const denied = await fetch(`${host.url}/_modu/plugins/users/reload`, { method: 'POST' });
      expect(denied.status).to.equal(401);
      const reload = await fetch(`${host.url}/_modu/plugins/users/reload`, as(adminToken, { method: 'POST' }));
      expect(reload.status).to.equal(200);
      const todos = await fetch(`${host.url}/todos`, as('bob-token'));
      expect(todos.status).to.equal(200);
      const plugins = (await (await fetch(`${host.url}/_modu/plugins`)).json()) as Array<{ state: string }>;
      expect(plugins.every((p) => p.state === 'started')).to.equal(true);
    });

    it('stops on SIGTERM: drains, stops the plugins and exits 0', async () => {
      host.child.kill('SIGTERM');
      const [code] = await once(host.child, 'exit');
      expect(code).to.equal(0);
      expect(host.output()).to.match(/modu: stopped in \d+ ms\n/);
    });
  });
}
