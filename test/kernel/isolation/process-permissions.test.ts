import { expect } from 'chai';
import { processPermissions } from '../../../kernel/isolation/process-permissions.js';
import type { RuntimeFeatures } from '../../../kernel/runtime-features.js';
import { runtimeFeatures } from '../../../kernel/runtime-features.js';

const node20: RuntimeFeatures = {
  node: '20.20.2',
  register: true,
  registerHooks: false,
  permissionFlag: '--experimental-permission',
  allowChildProcess: true,
  allowWorker: true,
  allowAddons: true,
  allowWasi: true,
  allowNet: false,
  compileCache: false,
  disableWarning: true,
};
const node26: RuntimeFeatures = {
  ...node20,
  node: '26.0.0',
  permissionFlag: '--permission',
  allowNet: true,
  registerHooks: true,
  compileCache: true,
};

const input = (granted: string[], features: RuntimeFeatures) => ({
  root: '/srv/plugins/audit',
  granted,
  dataDir: '/srv/data/audit',
  memoryMb: 64,
  features,
});

describe('processPermissions()', () => {
  describe('when nothing is granted', () => {
    it('turns the permission model on with reads only, an empty environment and the heap cap', () => {
      const { execArgv, env, cwd, report } = processPermissions(input([], node20));
      expect(execArgv[0]).to.equal('--experimental-permission');
      expect(execArgv).to.include('--allow-fs-read=/srv/plugins/audit');
      expect(execArgv.some((flag) => flag.startsWith('--allow-fs-write'))).to.equal(false);
      expect(execArgv).to.not.include('--allow-child-process');
      expect(execArgv).to.include('--max-old-space-size=64');
      expect(env).to.deep.equal({});
      expect(cwd).to.equal('/srv/plugins/audit');
      expect(report.network).to.equal('denied in the process (no --allow-net on this Node)');
    });

    it('allows workers on a Node without in-thread module hooks only, for the gate', () => {
      expect(processPermissions(input([], node20)).execArgv).to.include('--allow-worker');
      expect(processPermissions(input([], node26)).execArgv).to.not.include('--allow-worker');
      expect(processPermissions(input([], node26)).enforced).to.include('worker_threads');
    });

    it('denies the network by the permission model where Node has --allow-net', () => {
      const { execArgv, report, enforced } = processPermissions(input([], node26));
      expect(execArgv[0]).to.equal('--permission');
      expect(execArgv).to.not.include('--allow-net');
      expect(report.network).to.equal('denied by the permission model');
      expect(enforced).to.include('net');
    });
  });

  describe('when capabilities are granted', () => {
    it('adds each flag the running Node has, and writes to the data folder only with node:fs', () => {
      const granted = ['node:fs', 'node:child_process', 'native', 'node:wasi', 'network', 'env'];
      const { execArgv, env, cwd, report } = processPermissions(input(granted, node26));
      expect(execArgv).to.include.members([
        '--allow-fs-write=/srv/data/audit',
        '--allow-child-process',
        '--allow-addons',
        '--allow-wasi',
        '--allow-net',
      ]);
      expect(cwd).to.equal('/srv/data/audit');
      expect(env).to.have.property('PATH');
      expect(report.network).to.equal('granted');
      expect(processPermissions(input(['network'], node20)).execArgv).to.not.include('--allow-net');
    });
  });

  describe('when paths overlap', () => {
    it('lists no allowed path inside another (Node 20 aborts at start on one)', () => {
      const { report } = processPermissions(input([], runtimeFeatures()));
      for (const path of report.fsRead) {
        expect(report.fsRead.filter((other) => other !== path && path.startsWith(`${other}/`))).to.deep.equal([]);
      }
      expect(new Set(report.fsRead).size).to.equal(report.fsRead.length);
    });
  });
});
