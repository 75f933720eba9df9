// The gate's rules run where plugin code runs (the CommonJS gate, the in-thread hooks of Node 22+): each decision
// must come out the same after plugin code replaced the prototype methods it would otherwise call.
import { expect } from 'chai';
import { checkCapabilities } from '../../../../kernel/capabilities/check-capabilities.js';
import { fileDenial } from '../../../../kernel/loader/module-gate/file-approval.js';
import {
  builtinDenial,
  escapeDenial,
  type GatePolicy,
  isInside,
  policyFor,
  urlDenial,
} from '../../../../kernel/loader/module-gate/gate-policy.js';

const policy: GatePolicy = {
  name: 'p',
  root: '/plugins/p',
  granted: [],
  files: { 'index.js': { sha256: 'a'.repeat(64), goal: 'module' } } as never,
};

/** Every decision the tests below look at, in one record (read with loops: the test's own code runs polluted too). */
function decisions() {
  const problems = checkCapabilities({
    plugin: 'p',
    manifestFile: 'plugin.yaml',
    requested: ['node:child_process'],
    granted: [],
    report: { findings: [] } as never,
  });
  const capabilities: string[] = [];
  for (let i = 0; i < problems.length; i++) capabilities[i] = `${problems[i]?.kind} ${problems[i]?.capability}`;
  return {
    builtin: builtinDenial('node:child_process', policy) !== undefined,
    harmless: builtinDenial('node:path', policy) === undefined,
    url: urlDenial('data:text/javascript,1', policy) !== undefined,
    inside: isInside('/plugins/pother/x.js', '/plugins/p'),
    escape: escapeDenial('../other/x.js', '/plugins/other/x.js', policy) !== undefined,
    policy: policyFor('/plugins/p/lib/x.js', new Map([['/plugins/p', policy]]))?.name,
    unscanned: fileDenial('/plugins/p/notes.txt', 'script', 'x', policy) !== undefined,
    capabilities,
  };
}

/** Replaces the methods the rules would use with liars that answer "allowed"; returns the undo. */
function liars(): () => void {
  const saved: Array<[object, string, PropertyDescriptor]> = [];
  const replace = (target: object, key: string, value: unknown) => {
    saved.push([target, key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor]);
    Object.defineProperty(target, key, { value, configurable: true, writable: true });
  };
  replace(String.prototype, 'startsWith', () => true);
  replace(String.prototype, 'endsWith', () => true);
  replace(String.prototype, 'toLowerCase', () => 'nothing');
  replace(Array.prototype, 'includes', () => true);
  replace(Array.prototype, 'map', () => []);
  replace(Array.prototype, 'sort', () => []);
  replace(RegExp.prototype, 'exec', () => null);
  replace(Map.prototype, 'get', () => undefined);
  replace(Set.prototype, 'has', () => true);
  replace(Object, 'hasOwn', () => true);
  return () => {
    for (const [target, key, descriptor] of saved.reverse()) Object.defineProperty(target, key, descriptor);
  };
}

describe('module gate rules under replaced prototype methods', () => {
  it('decide exactly as they do on clean intrinsics', () => {
    const clean = decisions();
    expect(clean).to.deep.equal({
      builtin: true,
      harmless: true,
      url: true,
      inside: false,
      escape: true,
      policy: 'p',
      unscanned: true,
      capabilities: ['not-granted node:child_process'],
    });
    const undo = liars();
    let polluted: ReturnType<typeof decisions>;
    try {
      polluted = decisions();
    } finally {
      undo();
    }
    expect(polluted).to.deep.equal(clean);
  });
});
