import { expect } from 'chai';
import { ModuError } from '../../../kernel/index.js';
import { pickVersion, sortDescending } from '../../../registry/index.js';

const versions = ['1.0.0', '1.1.0', '1.2.0', '2.0.0-rc.1', '0.9.0'];
const state = (over: Partial<Parameters<typeof pickVersion>[2]> = {}) => ({
  distTags: {},
  deprecated: {},
  unpublished: {},
  ...over,
});

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (ModuError.is(error)) return error.code;
    throw error;
  }
  throw new Error('expected a ModuError');
}

describe('pickVersion()', () => {
  describe('when given a range', () => {
    it('picks the highest satisfying stable version', () => {
      expect(pickVersion('p', versions, state(), '^1.0.0')).to.equal('1.2.0');
      expect(pickVersion('p', versions, state(), '>=2.0.0-rc.0')).to.equal('2.0.0-rc.1');
    });

    it('skips deprecated and unpublished versions', () => {
      const s = state({
        deprecated: { '1.2.0': 'broken' },
        unpublished: { '1.1.0': { at: new Date(0).toISOString() } },
      });
      expect(pickVersion('p', versions, s, '^1.0.0')).to.equal('1.0.0');
    });

    it('gives the same answers on a highest-first listing, across alternatives and bounds', () => {
      const many = Array.from({ length: 300 }, (_, i) => `${Math.floor(i / 10)}.${i % 10}.0`);
      const sorted = sortDescending(many);
      for (const range of [
        '^12.0.0',
        '~12.3.0',
        '>=1.0.0 <2.0.0 || ^25.1.0',
        '12.x',
        '*',
        '<=10.5.0',
        '>5.0.0 <=5.5.0',
      ]) {
        expect(pickVersion('p', sorted, state(), range, true)).to.equal(pickVersion('p', many, state(), range));
      }
      expect(pickVersion('p', sorted, state(), '^12.0.0', true)).to.equal('12.9.0');
    });

    it('reports no match and a bad range with their codes', () => {
      expect(codeOf(() => pickVersion('p', versions, state(), '^3.0.0'))).to.equal('MODU_REGISTRY_NO_MATCH');
      expect(codeOf(() => pickVersion('p', versions, state(), '>>1'))).to.equal('MODU_REGISTRY_VERSION_INVALID');
    });
  });

  describe('when given an exact version', () => {
    it('serves it even when deprecated, never when unpublished', () => {
      expect(pickVersion('p', versions, state({ deprecated: { '1.2.0': 'x' } }), '1.2.0')).to.equal('1.2.0');
      const gone = state({ unpublished: { '1.2.0': { at: new Date(0).toISOString() } } });
      expect(codeOf(() => pickVersion('p', versions, gone, '1.2.0'))).to.equal('MODU_REGISTRY_VERSION_UNPUBLISHED');
      expect(codeOf(() => pickVersion('p', versions, state(), '9.9.9'))).to.equal('MODU_REGISTRY_VERSION_NOT_FOUND');
    });
  });

  describe('when given a dist-tag', () => {
    it('derives latest as the highest stable live version unless the tag is set', () => {
      expect(pickVersion('p', versions, state())).to.equal('1.2.0');
      expect(pickVersion('p', versions, state({ distTags: { latest: '1.0.0' } }))).to.equal('1.0.0');
      expect(pickVersion('p', versions, state({ distTags: { next: '2.0.0-rc.1' } }), 'next')).to.equal('2.0.0-rc.1');
      expect(codeOf(() => pickVersion('p', versions, state(), 'beta'))).to.equal('MODU_REGISTRY_NO_MATCH');
    });
  });
});
