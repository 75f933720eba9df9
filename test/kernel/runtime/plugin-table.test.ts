import { expect } from 'chai';
import { ModuError } from '../../../kernel/index.js';
import type { PluginPackage } from '../../../kernel/manifest/read-manifest.js';
import type { PluginStateChange } from '../../../kernel/runtime/plugin-table.js';
import { PluginTable } from '../../../kernel/runtime/plugin-table.js';
import { stateTransitions } from '../../../kernel/runtime/state-transitions.js';

const pkg: PluginPackage = {
  root: '/p/users',
  manifestFile: '/p/users/plugin.yaml',
  entry: '/p/users/index.js',
  manifest: { name: 'users', version: '1.0.0', main: 'index.js', kernel: '^1.0.0' },
};

const codeOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return ModuError.is(error) ? [error.code, error.message] : ['not a ModuError', String(error)];
  }
  return ['no error', ''];
};

describe('PluginTable', () => {
  it('moves a plugin only along the transition table, emitting each change', () => {
    const table = new PluginTable();
    const changes: PluginStateChange[] = [];
    table.events.on('state', (change) => changes.push(change));
    table.add(pkg, false);
    table.idle('users', 'loading');
    table.fail('users', 'load', new Error('boom'));
    table.idle('users', 'discovered');
    expect(changes.map((c) => `${c.from}>${c.to}`)).to.deep.equal([
      'discovered>loading',
      'loading>failed',
      'failed>discovered',
    ]);
    expect(changes[1]?.snapshot.failure?.error.message).to.equal('boom');
    expect(table.get('users')?.state).to.equal('discovered');
  });

  it('rejects an impossible transition with MODU_LIFECYCLE_TRANSITION_INVALID naming both states', () => {
    const table = new PluginTable();
    table.add(pkg, false);
    const [code, message] = codeOf(() => table.live('users', 'started'));
    expect(code).to.equal('MODU_LIFECYCLE_TRANSITION_INVALID');
    expect(message).to.contain('users cannot go from discovered to started');
    expect(table.get('users')?.state).to.equal('discovered');
    // A folder that never gave a package cannot be loaded again, whatever the table allows.
    table.addFailed('broken', '/p/broken', 'validate', new Error('bad yaml'));
    expect(codeOf(() => table.idle('broken', 'discovered'))[1]).to.contain('never gave a plugin package');
  });

  it('lists for every state where it may go, and nothing leads out of the table', () => {
    const states = Object.keys(stateTransitions);
    for (const targets of Object.values(stateTransitions)) for (const to of targets) expect(states).to.include(to);
    expect(stateTransitions.started).to.deep.equal(['stopping', 'failed']);
  });
});
