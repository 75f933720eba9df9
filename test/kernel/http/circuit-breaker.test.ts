import { expect } from 'chai';
import { CircuitBreaker } from '../../../kernel/http/circuit-breaker.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CircuitBreaker', () => {
  describe('when failures are not consecutive', () => {
    it('stays closed', () => {
      const breaker = new CircuitBreaker({ failureThreshold: 2 });
      for (const failed of [true, false, true, false, true]) {
        expect(breaker.admit()).to.equal(0);
        breaker.record(failed);
      }
      expect(breaker.state).to.equal('closed');
    });
  });
  describe('when the threshold is reached', () => {
    it('opens, rejects with the time left, then lets exactly one trial through', async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 40 });
      breaker.record(true);
      breaker.record(true);
      expect(breaker.state).to.equal('open');
      expect(breaker.admit()).to.be.within(1, 40);
      await pause(50);
      expect(breaker.state).to.equal('half-open');
      expect(breaker.admit()).to.equal(0);
      expect(breaker.admit()).to.be.greaterThan(0);
      breaker.record(true);
      expect(breaker.state).to.equal('open');
    });
    it('closes again when the trial succeeds', async () => {
      const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeoutMs: 20 });
      breaker.record(true);
      await pause(30);
      expect(breaker.admit()).to.equal(0);
      breaker.record(false);
      expect(breaker.state).to.equal('closed');
      expect(breaker.admit()).to.equal(0);
    });
  });
});
