import { expect } from 'chai';
import { contentSha, loadedDenial } from '../../../../kernel/loader/module-gate/file-approval.js';
import type { GatePolicy } from '../../../../kernel/loader/module-gate/gate-policy.js';

/** A policy approving /plugins/p/index.js as an ES module whose scan read `text`. */
function approving(text: string): GatePolicy {
  return {
    name: 'p',
    root: '/plugins/p',
    granted: [],
    files: { 'index.js': { sha256: contentSha(text), goal: 'module' } } as never,
  };
}

describe('loadedDenial()', () => {
  describe('when Node hands over the source as bytes', () => {
    it('lets the bytes the scan read run', () => {
      const text = "export const s = 'é';\n";
      expect(loadedDenial('/plugins/p/index.js', 'module', Buffer.from(text), approving(text))).to.equal(undefined);
    });

    it('lets bytes that are not valid UTF-8 run when their text is what the scan read', () => {
      const bytes = Uint8Array.from([...Buffer.from('export const s = "'), 0xff, ...Buffer.from('";\n')]);
      const text = Buffer.from(bytes).toString('utf8');
      expect(loadedDenial('/plugins/p/index.js', 'module', bytes, approving(text))).to.equal(undefined);
      expect(loadedDenial('/plugins/p/index.js', 'module', bytes.buffer, approving(text))).to.equal(undefined);
    });

    it('refuses bytes changed since the scan, naming the file', () => {
      const denial = loadedDenial('/plugins/p/index.js', 'module', Buffer.from('export {};\n'), approving('x'));
      expect(denial).to.include('/plugins/p/index.js').and.include('changed since its scan');
    });
  });
});
