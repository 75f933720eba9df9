import { expect } from 'chai';
import { ModuError } from '../../../kernel/index.js';
import { problemResponse } from '../../../registry/http/problem-response.js';

describe('problemResponse()', () => {
  describe('when the error is not a ModuError', () => {
    it('answers 500 MODU_REGISTRY_INTERNAL without its message or the hidden folders', () => {
      const response = problemResponse(new Error('EACCES /srv/registry/plugins/x'), {}, ['/srv/registry']);
      const body = JSON.parse(String(response.body)) as Record<string, unknown>;
      expect([response.status, body.code, body.status]).to.deep.equal([500, 'MODU_REGISTRY_INTERNAL', 500]);
      expect(String(response.body)).to.not.contain('EACCES').and.not.contain('/srv/registry');
    });
  });

  describe('when the error is a ModuError', () => {
    it('answers its own code and status, with the hidden folders replaced', () => {
      const error = new ModuError('MODU_REGISTRY_NOT_FOUND', 'Plugin x is not in the registry at /srv/registry.');
      const response = problemResponse(error, {}, ['/srv/registry']);
      const body = JSON.parse(String(response.body)) as Record<string, unknown>;
      expect([response.status, body.code]).to.deep.equal([404, 'MODU_REGISTRY_NOT_FOUND']);
      expect(body.detail).to.equal('Plugin x is not in the registry at <registry>.');
    });
  });
});
