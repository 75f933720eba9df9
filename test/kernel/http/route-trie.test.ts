import { expect } from 'chai';
import { RouteTrie } from '../../../kernel/http/route-trie.js';

describe('RouteTrie', () => {
  describe('lookup() when literals and parameters overlap', () => {
    it('prefers the literal whatever the order routes were added in', () => {
      for (const order of [
        ['/plugins/:name', '/plugins/search'],
        ['/plugins/search', '/plugins/:name'],
      ]) {
        const trie = new RouteTrie<string>();
        for (const path of order) trie.add('GET', path, path);
        expect(trie.lookup('GET', '/plugins/search')).to.deep.equal({
          found: true,
          value: '/plugins/search',
          values: [],
        });
        expect(trie.lookup('GET', '/plugins/x')).to.deep.equal({ found: true, value: '/plugins/:name', values: ['x'] });
      }
    });
    it('backtracks from a literal branch that does not lead anywhere to the parameter branch', () => {
      const trie = new RouteTrie<string>();
      trie.add('GET', '/plugins/search', 'literal');
      trie.add('GET', '/plugins/:name/versions', 'versions');
      expect(trie.lookup('GET', '/plugins/search/versions')).to.deep.include({ value: 'versions', values: ['search'] });
    });
  });
  describe('lookup() when only the path matches', () => {
    it('lists the allowed methods (HEAD with GET), falls back from HEAD to GET, and misses unknown paths', () => {
      const trie = new RouteTrie<string>();
      trie.add('GET', '/a/:id', 'get');
      trie.add('DELETE', '/a/:id', 'delete');
      expect(trie.lookup('POST', '/a/1')).to.deep.equal({ found: false, allow: ['DELETE', 'GET', 'HEAD'] });
      expect(trie.lookup('HEAD', '/a/1')).to.deep.include({ value: 'get' });
      expect(trie.lookup('GET', '/b')).to.equal(undefined);
      expect(trie.lookup('GET', '/a')).to.equal(undefined);
    });
  });
  describe('add() and remove()', () => {
    it('reports the holder of a taken method+path, whatever its parameter names', () => {
      const trie = new RouteTrie<string>();
      expect(trie.add('GET', '/u/:id', 'first')).to.equal(undefined);
      expect(trie.add('GET', '/u/:userId', 'second')).to.equal('first');
      expect(trie.add('POST', '/u/:userId', 'post')).to.equal(undefined);
    });
    it('forgets a static path it answered before once that route is removed or shadowed', () => {
      const trie = new RouteTrie<string>();
      trie.add('GET', '/a/b', 'static');
      expect(trie.lookup('GET', '/a/b')).to.deep.include({ value: 'static' });
      trie.remove('GET', '/a/b', 'static');
      expect(trie.lookup('GET', '/a/b')).to.equal(undefined);
      trie.add('GET', '/a/:x', 'param');
      expect(trie.lookup('GET', '/a/b')).to.deep.include({ value: 'param', values: ['b'] });
      trie.add('GET', '/a/b', 'literal');
      expect(trie.lookup('GET', '/a/b')).to.deep.include({ value: 'literal' });
    });
    it('removes only the value it is given, and prunes emptied branches', () => {
      const trie = new RouteTrie<string>();
      trie.add('GET', '/u/:id/x', 'mine');
      expect(trie.remove('GET', '/u/:id/x', 'not mine')).to.equal(false);
      expect(trie.remove('GET', '/u/:id/x', 'mine')).to.equal(true);
      expect(trie.lookup('GET', '/u/1/x')).to.equal(undefined);
      expect(trie.add('GET', '/u/:other', 'new')).to.equal(undefined);
    });
  });
});
