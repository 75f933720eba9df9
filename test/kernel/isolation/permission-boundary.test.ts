import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { runtimeFeatures } from '../../../kernel/runtime-features.js';
import { removeScratch } from '../../helpers/fixtures.js';
import { type IsolatedHost, startIsolatedHost } from './isolated-host.js';

interface Attempt {
  readonly ok: boolean;
  readonly code: string | null;
}

async function attempt(host: IsolatedHost, path: string): Promise<Attempt> {
  const response = await host.get(path);
  expect(response.status, path).to.equal(200);
  return (await response.json()) as Attempt;
}

// iso-escape reaches `process` through the Function constructor (it is granted dynamic-code, so the scanner lets
// it through, as it would let through any technique it cannot follow): the code runs, and the boundary must hold.
describe('the permission model around an isolated plugin', () => {
  let outside: string;
  before(async () => {
    outside = await mkdtemp(join(tmpdir(), 'modu-outside-'));
    process.env.MODU_TEST_SECRET = 'host-secret';
  });
  after(async () => {
    delete process.env.MODU_TEST_SECRET;
    await removeScratch();
  });

  describe('when it has no file grant', () => {
    let host: IsolatedHost;
    before(async () => {
      host = await startIsolatedHost(['isolation/iso-escape'], {
        isolation: 'process',
        plugins: { 'iso-escape': { grants: ['dynamic-code'] } },
      });
      expect(host.kernel.snapshot()[0]?.state).to.equal('started');
    });
    after(() => host.close());

    it('denies writing a file anywhere, its own folder included, and nothing is written', async () => {
      const target = join(outside, 'escaped.txt');
      expect(await attempt(host, `/iso-escape/write?path=${encodeURIComponent(target)}`)).to.deep.equal({
        ok: false,
        code: 'ERR_ACCESS_DENIED',
      });
      expect(existsSync(target)).to.equal(false);
      const own = join(host.dir, 'iso-escape', 'index.js');
      const before = await readFile(own, 'utf8');
      expect(await attempt(host, `/iso-escape/write?path=${encodeURIComponent(own)}`)).to.deep.equal({
        ok: false,
        code: 'ERR_ACCESS_DENIED',
      });
      expect(await readFile(own, 'utf8')).to.equal(before);
    });

    it('denies starting a process', async () => {
      expect(await attempt(host, '/iso-escape/spawn')).to.deep.equal({ ok: false, code: 'ERR_ACCESS_DENIED' });
    });

    it('gives it an empty environment: no host secret', async () => {
      const { names } = (await (await host.get('/iso-escape/env')).json()) as { names: string[] };
      expect(names).to.not.include('MODU_TEST_SECRET');
      expect(names).to.deep.equal([]);
    });

    it('denies the network built-ins (by the permission model on Node 25+, else by the gate in its process)', async () => {
      const result = await attempt(host, '/iso-escape/net');
      if (runtimeFeatures().allowNet) expect(result.ok).to.equal(true);
      else expect(result).to.deep.equal({ ok: false, code: 'MODU_PERMISSION_DENIED' });
      const reported = host.kernel.snapshot()[0]?.isolation?.permissions.network;
      expect(reported).to.equal(
        runtimeFeatures().allowNet
          ? 'denied by the permission model'
          : 'denied in the process (no --allow-net on this Node)',
      );
    });
  });

  describe('when it is granted node:fs', () => {
    let host: IsolatedHost;
    let dataDir: string;
    before(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'modu-data-'));
      host = await startIsolatedHost(['isolation/iso-escape'], {
        isolation: 'process',
        dataDir,
        plugins: { 'iso-escape': { grants: ['dynamic-code', 'node:fs'] } },
      });
      const manifest = join(host.dir, 'iso-escape', 'plugin.yaml');
      await writeFile(
        manifest,
        (await readFile(manifest, 'utf8')).replace('[dynamic-code]', '[dynamic-code, node:fs]'),
      );
      await host.kernel.reload('iso-escape');
      expect(host.kernel.snapshot()[0]?.state).to.equal('started');
    });
    after(() => host.close());

    it('writes inside its data folder, its working folder', async () => {
      const { cwd } = (await (await host.get('/iso-escape/cwd')).json()) as { cwd: string };
      expect(cwd).to.equal(join(dataDir, 'iso-escape'));
      expect(await attempt(host, '/iso-escape/write?path=notes.txt')).to.deep.equal({ ok: true });
      expect(await readFile(join(dataDir, 'iso-escape', 'notes.txt'), 'utf8')).to.equal('escaped');
      expect(host.kernel.snapshot()[0]?.isolation?.permissions.fsWrite).to.deep.equal([join(dataDir, 'iso-escape')]);
    });

    it('denies writing anywhere else', async () => {
      const target = join(outside, 'escaped-too.txt');
      expect(await attempt(host, `/iso-escape/write?path=${encodeURIComponent(target)}`)).to.deep.equal({
        ok: false,
        code: 'ERR_ACCESS_DENIED',
      });
      expect(existsSync(target)).to.equal(false);
    });
  });
});
