import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { loadHostConfig, ModuError } from '../../../kernel/index.js';

async function configFile(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modu-config-'));
  const file = join(dir, 'modu.yaml');
  await writeFile(file, text);
  return file;
}

describe('loadHostConfig()', () => {
  describe('when the file is valid', () => {
    it('resolves folders against the file and applies MODU_* overrides', async () => {
      const file = await configFile('pluginDirs: [plugins, /srv/more]\nport: 3000\ncacheDir: .cache\n');
      const { config } = await loadHostConfig(file, { MODU_PORT: '8080', MODU_ADAPTER: 'koa' });
      expect(config.pluginDirs).to.deep.equal([join(file, '..', 'plugins'), '/srv/more']);
      expect(config.cacheDir).to.equal(join(file, '..', '.cache'));
      expect(config).to.include({ port: 8080, adapter: 'koa' });
    });

    it('defaults the plugins folder to ./plugins beside the file', async () => {
      const file = await configFile('port: 3000\n');
      expect((await loadHostConfig(file, {})).config.pluginDirs).to.deep.equal([join(file, '..', 'plugins')]);
    });
  });

  describe('when a value is wrong', () => {
    it('names the file, the line and the field', async () => {
      const file = await configFile('port: 3000\nadapter: fastify\nplugins:\n  auth: { required: yes-please }\n');
      const error = await loadHostConfig(file, {}).catch((e: unknown) => e);
      expect(ModuError.is(error) && error.code).to.equal('MODU_CONFIG_INVALID');
      const message = (error as ModuError).message;
      expect(message).to.contain(`${file}:2:10 /adapter must be equal to one of the allowed values`);
      expect(message).to.contain('/plugins/auth/required must be boolean');
    });

    it('names the environment variable when an override is wrong', async () => {
      const file = await configFile('port: 3000\n');
      const error = await loadHostConfig(file, { MODU_PORT: 'eighty' }).catch((e: unknown) => e);
      expect((error as ModuError).message).to.contain(`${file} (with MODU_PORT) /port must be integer (got "eighty")`);
    });
  });
});
