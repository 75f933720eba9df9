import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { createRegistryHandler, openLocalRegistry, packPlugin } from '../../../registry/index.js';
import { inject } from '../../../testing/index.js';
import { type Scratch, scratch, writePlugin } from '../plugin-folder.js';

describe('the registry and the files it names', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  describe('registry.yaml', () => {
    it('names only files that exist in the registry folder, or patterns of them', async () => {
      const registry = await openLocalRegistry(dir.path('reg'));
      await registry.publish(
        (await packPlugin(await writePlugin(dir.root, { name: 'users', version: '1.0.0' }))).bytes,
      );
      const text = await readFile(dir.path('reg', 'registry.yaml'), 'utf8');
      const named = [...text.matchAll(/[^\s,]+\.(?:md|ya?ml|tgz|json|txt)\b/g)].map((m) => m[0]);
      expect(named).to.include('plugins/<name>/state.yaml');
      for (const file of named.filter((name) => !name.includes('<'))) {
        expect(
          await readFile(join(dir.path('reg'), file)).then(
            () => true,
            () => false,
          ),
          file,
        ).to.equal(true);
      }
      expect(text).to.not.match(/DESIGN|\.md\b/);
    });
  });

  describe('an HTTP registry answering an error about one of its files', () => {
    it('never shows the server its folders', async () => {
      const registry = await openLocalRegistry(dir.path('reg'));
      await mkdir(dir.path('reg', 'plugins', 'broken', 'versions'), { recursive: true });
      await writeFile(dir.path('reg', 'plugins', 'broken', 'versions', '1.0.0.yaml'), 'name: [unclosed\n');
      const res = await inject(createRegistryHandler(registry), { url: '/plugins/broken/versions/1.0.0' });
      expect(res.status).to.be.within(400, 599);
      expect(res.json<{ code: string }>().code).to.match(/^MODU_/);
      expect(res.text()).to.include('<registry>');
      expect(res.text()).to.not.include(dir.root);
    });
  });
});
