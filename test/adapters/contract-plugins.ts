// The adapter contract suite's plugins (fixtures/contract: the same code runs in process and isolated), as specs of
// the test host: their names, dependencies, exports and config.
import auth from '../../fixtures/contract/auth/index.js';
import flaky from '../../fixtures/contract/flaky/index.js';
import gate from '../../fixtures/contract/gate/index.js';
import users from '../../fixtures/contract/users/index.js';
import type { PluginSpec } from '../kernel/http/test-host.js';

export const authSpec: PluginSpec = {
  name: 'auth',
  exportsGuards: ['authenticated'],
  exportsServices: ['Tokens'],
  definition: auth,
};

export const usersSpec: PluginSpec = {
  name: 'users',
  dependencies: ['auth'],
  definition: users,
  config: { pageSize: 20 },
};

/** Its route fails while the caller asks it to (`?fail=1`), for the circuit breaker. */
export const flakySpec: PluginSpec = { name: 'flaky', definition: flaky };

/** Its routes are behind guards of its own: isolated, a bodiless request crosses once for guards and handler. */
export const gateSpec: PluginSpec = { name: 'gate', definition: gate };

/** The four, in load order. */
export const contractSpecs: readonly PluginSpec[] = [authSpec, usersSpec, flakySpec, gateSpec];
