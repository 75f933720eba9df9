import { builtinModules } from 'node:module';
import { expect } from 'chai';
import {
  builtinCapability,
  capabilityCatalogue,
  isHarmlessBuiltin,
  normaliseCapability,
} from '../../../kernel/index.js';

describe('capabilityCatalogue()', () => {
  describe('when listing capabilities', () => {
    it('has node:<builtin> for every built-in (subpaths folded) plus the special ones', () => {
      const catalogue = capabilityCatalogue();
      for (const name of builtinModules) expect(catalogue).to.include(builtinCapability(name));
      expect(catalogue).to.include.members(['network', 'env', 'dynamic-code', 'native', 'node:fs', 'node:test']);
      expect(catalogue).to.not.include('node:fs/promises');
      expect(catalogue).to.not.include('node:_http_agent');
    });
  });

  describe('when normalising', () => {
    it('folds prefixes, subpaths and internal names', () => {
      expect(builtinCapability('fs/promises')).to.equal('node:fs');
      expect(builtinCapability('node:_tls_wrap')).to.equal('node:tls');
      expect(builtinCapability('_http_agent')).to.equal('node:http');
      expect(builtinCapability('sys')).to.equal('node:util');
      expect(builtinCapability('lodash')).to.equal(undefined);
      expect(normaliseCapability('node:dns/promises')).to.equal('node:dns');
      expect(normaliseCapability('fs')).to.equal(undefined);
      expect(normaliseCapability('users:read')).to.equal(undefined);
    });
  });

  describe('when classifying built-ins', () => {
    it('denies what reaches outside the process and allows the rest', () => {
      for (const name of ['fs', 'child_process', 'net', 'http', 'worker_threads', 'vm', 'inspector', 'module', 'os']) {
        expect(isHarmlessBuiltin(name), name).to.equal(false);
      }
      for (const name of ['path', 'url', 'util', 'events', 'buffer', 'crypto', 'stream/promises', 'node:process']) {
        expect(isHarmlessBuiltin(name), name).to.equal(true);
      }
    });
  });
});
