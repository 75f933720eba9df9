import { expect } from 'chai';
import { CircuitBreaker } from '../../../kernel/http/circuit-breaker.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('CircuitBreaker', () => {
  describe('when the window holds fewer calls than the volume threshold', () => {
    it('stays closed however many of them failed', () => {
      const breaker = new CircuitBreaker({ volumeThreshold: 5 });
      for (let i = 0; i < 4; i++) breaker.record(true);
      expect(breaker.state).to.equal('closed');
      expect(breaker.admit()).to.equal(0);
    });
  });
  describe('when the error rate stays under the percentage', () => {
    it('stays closed', () => {
      const breaker = new CircuitBreaker({ volumeThreshold: 4, errorThresholdPercentage: 50 });
      for (const failed of [false, false, true, false, false, true, false, false, true]) {
        expect(breaker.admit()).to.equal(0);
        breaker.record(failed);
      }
      expect(breaker.state).to.equal('closed');
    });
  });
  describe('when failures fall out of the rolling window', () => {
    it('forgets them', async () => {
      const breaker = new CircuitBreaker({ volumeThreshold: 4, rollingWindowMs: 100 });
      for (let i = 0; i < 3; i++) breaker.record(true);
      await pause(150);
      breaker.record(true);
      expect(breaker.state).to.equal('closed');
    });
  });
  describe('when volume and error rate are reached', () => {
    it('opens, rejects with the time left, then lets exactly one trial through', async () => {
      const breaker = new CircuitBreaker({ volumeThreshold: 2, resetTimeoutMs: 40 });
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
    it('closes again when the trial succeeds, with an empty window', async () => {
      const breaker = new CircuitBreaker({ volumeThreshold: 1, resetTimeoutMs: 20 });
      breaker.record(true);
      await pause(30);
      expect(breaker.admit()).to.equal(0);
      breaker.record(false);
      expect(breaker.state).to.equal('closed');
      expect(breaker.admit()).to.equal(0);
    });
  });
});
