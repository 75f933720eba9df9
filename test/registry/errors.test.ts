import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { errorSpec } from '../../kernel/index.js';
import { registryErrors } from '../../registry/index.js';

const docs = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

describe('registryErrors', () => {
  describe('when compared with docs/errors.md', () => {
    it('lists every registry code with the same status and title, and nothing else', async () => {
      const text = await readFile(docs, 'utf8');
      const section = text.slice(text.indexOf('## registry')).split('\n## ')[0] ?? '';
      const rows = [...section.matchAll(/^\|\s*(MODU_\w+)\s*\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|/gm)].map((m) => [
        m[1],
        Number(m[2]),
        m[3],
      ]);
      const catalogue = Object.entries(registryErrors).map(([code, spec]) => [code, spec.status, spec.title]);
      expect(rows).to.deep.equal(catalogue);
      for (const [code] of catalogue) expect(errorSpec(String(code))).to.not.equal(undefined);
    });
  });
});
