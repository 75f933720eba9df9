import { expect } from 'chai';
import { WireNeutralRequest } from '../../../kernel/isolation/child/wire-neutral-request.js';

describe('WireNeutralRequest (a request inside an isolated plugin’s process)', () => {
  const wire = { method: 'GET', path: '/x', params: {}, query: {}, headers: {}, principal: undefined };

  it('aborts a signal read before the host’s client went away', () => {
    const request = new WireNeutralRequest(wire);
    const { signal } = request;
    let heard = 0;
    signal.addEventListener('abort', () => heard++);
    expect(signal.aborted).to.equal(false);
    request.abort();
    expect([signal.aborted, heard]).to.deep.equal([true, 1]);
  });

  it('gives an aborted signal to a handler that reads it after the client went away', () => {
    const request = new WireNeutralRequest(wire);
    request.abort();
    expect(request.signal.aborted).to.equal(true);
    expect(request.signal).to.equal(request.signal);
  });
});
