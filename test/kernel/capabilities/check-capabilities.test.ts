import { expect } from 'chai';
import {
  assertCapabilities,
  type CapabilityCheck,
  checkCapabilities,
  ModuError,
  type ScanReport,
  scanSource,
} from '../../../kernel/index.js';

function report(code: string): ScanReport {
  const findings = scanSource(code, { file: 'index.js' });
  const capabilities = [...new Set(findings.flatMap((f) => (f.capability ? [f.capability] : [])))].sort();
  return { contentHash: 'x', files: 1, bytes: code.length, findings, capabilities };
}

const check = (code: string, requested: string[], granted: string[]): CapabilityCheck => ({
  plugin: 'users',
  manifestFile: '/p/users/plugin.yaml',
  requested,
  granted,
  report: report(code),
});

function thrown(fn: () => void): ModuError {
  try {
    fn();
  } catch (error) {
    if (ModuError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a ModuError');
}

describe('checkCapabilities()', () => {
  describe('when code, manifest and grants agree', () => {
    it('finds no problem, and harmless built-ins need nothing', () => {
      const code = "import 'node:path';\nimport { readFile } from 'node:fs/promises';\nprocess.env.X;";
      expect(checkCapabilities(check(code, ['node:fs', 'env', 'node:crypto'], ['node:fs', 'env']))).to.deep.equal([]);
    });
  });

  describe('when code uses what the manifest does not ask for', () => {
    it('names the capability and where it is used', () => {
      const [problem] = checkCapabilities(check("\n\nrequire('child_process')", [], []));
      expect(problem).to.include({ kind: 'not-requested', capability: 'node:child_process' });
      expect(problem?.message).to.contain('index.js:3:1');
    });
  });

  describe('when the manifest asks for what the host does not grant', () => {
    it('reports not-granted even when the code does not use it', () => {
      const problems = checkCapabilities(check('', ['node:net'], []));
      expect(problems.map((p) => `${p.kind} ${p.capability}`)).to.deep.equal(['not-granted node:net']);
      expect(problems[0]?.message).to.contain('plugins.users.grants');
    });
  });

  describe('when a finding no grant can allow is present', () => {
    it('reports it as forbidden', () => {
      const problems = checkCapabilities(check('process.getBuiltinModule(name)', ['dynamic-code'], ['dynamic-code']));
      expect(problems.map((p) => `${p.kind} ${p.capability}`)).to.deep.equal(['forbidden computed-builtin']);
    });
  });
});

describe('assertCapabilities()', () => {
  describe('when something is denied', () => {
    it('throws MODU_PERMISSION_DENIED (403) naming plugin, capabilities, lines and the fix', () => {
      const error = thrown(() => assertCapabilities(check("eval('1');\nrequire('fs')", ['node:fs'], [])));
      expect(error.code).to.equal('MODU_PERMISSION_DENIED');
      expect(error.status).to.equal(403);
      expect(error.message).to.contain('Plugin "users"').and.contain('dynamic-code').and.contain('index.js:1:1');
      expect(error.message).to.contain('node:fs');
      expect(error.hint).to.contain('permissions').and.contain('plugins.users.grants');
    });
  });

  describe('when the manifest names something that is no capability', () => {
    it('throws MODU_PERMISSION_UNKNOWN with a suggestion', () => {
      const error = thrown(() => assertCapabilities(check('', ['fs', 'users:read'], ['fs'])));
      expect(error.code).to.equal('MODU_PERMISSION_UNKNOWN');
      expect(error.message).to.contain("did you mean 'node:fs'?").and.contain('users:read');
    });
  });

  describe('when everything fits', () => {
    it('returns quietly', () => {
      expect(() => assertCapabilities(check("require('fs')", ['node:fs'], ['node:fs']))).to.not.throw();
    });
  });
});
