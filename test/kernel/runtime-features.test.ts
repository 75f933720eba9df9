import { spawnSync } from 'node:child_process';
import { expect } from 'chai';
import { runtimeFeatures } from '../../kernel/index.js';

const major = Number(process.versions.node.split('.')[0]);

/** Runs this Node with `flags` and a one-line script; returns its exit status and stderr. */
function node(flags: readonly string[], script = 'process.exit(0)') {
  const run = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

describe('runtimeFeatures()', () => {
  it('returns one frozen plain object naming the running Node', () => {
    const features = runtimeFeatures();
    expect(Object.isFrozen(features)).to.equal(true);
    expect(runtimeFeatures()).to.equal(features);
    expect(features.node).to.equal(process.versions.node);
  });

  it('finds in-thread module hooks and the compile cache from Node 24 on, and neither on Node 20', () => {
    const { registerHooks, register, compileCache } = runtimeFeatures();
    if (major >= 24) expect({ registerHooks, compileCache }).to.deep.equal({ registerHooks: true, compileCache: true });
    if (major === 20)
      expect({ registerHooks, compileCache }).to.deep.equal({ registerHooks: false, compileCache: false });
    expect(register).to.equal(true);
  });

  it('names the permission flag this Node accepts, and the other spelling is one it refuses', () => {
    const { permissionFlag } = runtimeFeatures();
    expect(permissionFlag).to.equal(
      major >= 24 ? '--permission' : major === 20 ? '--experimental-permission' : permissionFlag,
    );
    if (permissionFlag === undefined) return;
    expect(node([permissionFlag], 'process.exit(typeof process.permission === "object" ? 0 : 3)').status).to.equal(0);
    const other = permissionFlag === '--permission' ? '--experimental-permission' : '--permission';
    const refused = node([other]);
    if (!process.allowedNodeEnvironmentFlags.has(other)) expect(refused.stderr).to.contain(`bad option: ${other}`);
  });

  it('says --allow-net exists exactly where Node accepts it with the permission flag', () => {
    const { permissionFlag, allowNet } = runtimeFeatures();
    if (permissionFlag === undefined) return expect(allowNet).to.equal(false);
    const run = node([permissionFlag, '--allow-net']);
    expect(run.status === 0, run.stderr).to.equal(allowNet);
    expect(allowNet).to.equal(major >= 26 ? true : major <= 24 ? false : allowNet);
  });
});
