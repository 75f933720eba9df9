import { expect } from 'chai';
import { missingPermissions, permissionCovers } from '../../../kernel/index.js';

describe('missingPermissions()', () => {
  describe('when the held permissions cover the required ones', () => {
    it('accepts exact, `*` and `prefix:*` wildcards', () => {
      expect(missingPermissions(['users:read'], ['users:read'])).to.deep.equal([]);
      expect(missingPermissions(['*'], ['users:read', 'audit:write'])).to.deep.equal([]);
      expect(missingPermissions(['users:*'], ['users:read', 'users:write'])).to.deep.equal([]);
    });
  });
  describe('when some are not covered', () => {
    it('names each missing one, in the required order', () => {
      expect(missingPermissions(['users:*'], ['audit:read', 'users:read', 'billing:pay'])).to.deep.equal([
        'audit:read',
        'billing:pay',
      ]);
    });
    it('never lets a wildcard cross a segment boundary or a required wildcard pass', () => {
      expect(permissionCovers('users:*', 'usersx:read')).to.equal(false);
      expect(permissionCovers('users:read', 'users:*')).to.equal(false);
      expect(missingPermissions([], ['users:read'])).to.deep.equal(['users:read']);
    });
  });
});
