import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { pluginsFolder, removeScratch } from '../../helpers/fixtures.js';
import { alive, eventually } from './isolated-host.js';

describe('an isolated plugin process', () => {
  after(() => removeScratch());

  describe('when its host is killed (SIGKILL, no stop())', () => {
    it('notices the closed channel and exits: no orphan', async () => {
      const dir = await pluginsFolder('isolation/iso-base', 'isolation/iso-echo');
      const script = fileURLToPath(new URL('./host-process.js', import.meta.url));
      const host = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      const [line] = (await once(host.stdout, 'data')) as [Buffer];
      const { pid } = JSON.parse(line.toString()) as { pid: number };
      expect(pid).to.be.a('number');
      expect(alive(pid)).to.equal(true);
      host.kill('SIGKILL');
      await once(host, 'exit');
      await eventually(() => !alive(pid), 10_000, 'the plugin process exits after its host');
    });
  });
});
