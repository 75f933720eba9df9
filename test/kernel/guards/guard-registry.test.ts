import { expect } from 'chai';
import type { GuardEntry } from '../../../kernel/guards/guard-chain.js';
import { GuardRegistry } from '../../../kernel/guards/guard-registry.js';

const entry = (name: string, owner: string): GuardEntry =>
  ({ name, owner, exported: false, dependsOn: [] }) as unknown as GuardEntry;

describe('GuardRegistry.commit()', () => {
  describe('when a guard name is already owned', () => {
    it('throws MODU_GUARD_CONFLICT naming both owners, and registers none of the new guards', () => {
      const registry = new GuardRegistry();
      registry.commit('auth', [entry('auth/authenticated', 'auth')]);
      let thrown: { code?: string; details?: Record<string, unknown> } | undefined;
      try {
        registry.commit('impostor', [entry('impostor/own', 'impostor'), entry('auth/authenticated', 'impostor')]);
      } catch (error) {
        thrown = error as typeof thrown;
      }
      expect(thrown?.code).to.equal('MODU_GUARD_CONFLICT');
      expect(thrown?.details).to.deep.include({ guard: 'auth/authenticated', owner: 'impostor', heldBy: 'auth' });
      expect(() => registry.commit('impostor', [entry('impostor/own', 'impostor')])).to.not.throw();
    });
  });
});
