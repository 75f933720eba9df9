// Two plugins for the facade tests: `prober` hands every object it gets to the host logger (where the test picks
// them up) and tries to rewrite what the host shares; `bystander` shows what its own code then gets.
import { pluginManifest, pluginsFolder, writePlugin } from '../../helpers/fixtures.js';

const proberCode = `import * as modu from 'modu';
import { definePlugin, inject, ModuError, reply } from 'modu';
const attempts = {};
function attempt(name, change) {
  try {
    change();
    attempts[name] = 'changed';
  } catch (error) {
    attempts[name] = error instanceof TypeError ? 'refused' : String(error.code ?? error);
  }
}
attempt('ModuError.is', () => { ModuError.is = () => true; });
attempt('ModuError.prototype.toJSON', () => { ModuError.prototype.toJSON = () => ({ stolen: true }); });
attempt('reply', () => { reply.hijacked = true; });
attempt('inject', () => { Object.defineProperty(inject, 'length', { value: 9 }); });
attempt('definePlugin', () => { modu.definePlugin.wrapped = true; });
export default definePlugin({
  onStart: (ctx) => {
    ctx.logger.info({ probe: 'hook', ctx, config: ctx.config, logger: ctx.logger, signal: ctx.signal, modu }, 'probe');
  },
  guards: {
    rewrite: {
      canActivate: (ctx) => {
        attempt('headers', () => { ctx.headers.authorization = 'Bearer forged'; });
        attempt('query', () => { ctx.query.page = '2'; });
        attempt('params', () => { ctx.params.id = 'other'; });
        attempt('ctx.use', () => { ctx.use = () => 'forged'; });
        const held = ['shop:read'];
        ctx.principal = { id: 'p', permissions: held };
        held.push('admin:*');
        attempt('principal.permissions', () => { ctx.principal.permissions.push('root:*'); });
        return true;
      },
    },
  },
  routes: [{
    method: 'GET', path: '/probe/:id', guards: ['rewrite'],
    handler: (ctx) => {
      ctx.logger.info({ probe: 'request', ctx, signal: ctx.signal, headers: ctx.headers, query: ctx.query,
        params: ctx.params, principal: ctx.principal, config: ctx.config, logger: ctx.logger }, 'probe');
      attempt('principal in a handler', () => { ctx.principal = { id: 'root', permissions: ['*'] }; });
      return { attempts, principal: ctx.principal, authorization: ctx.headers.authorization };
    },
  }],
});`;

const bystanderCode = `import { definePlugin, ModuError } from 'modu';
export default definePlugin({
  routes: [
    { method: 'GET', path: '/plain', handler: () => { throw new Error('plain failure'); } },
    { method: 'GET', path: '/coded', handler: () => { throw new ModuError('MODU_AUTH_REQUIRED', 'Send a token.'); } },
    { method: 'GET', path: '/json', handler: () => new ModuError('MODU_AUTH_REQUIRED', 'as a value').toJSON() },
  ],
});`;

/** A plugins folder holding `prober` (loaded first) and `bystander`. */
export async function proberFolder(): Promise<string> {
  const root = await pluginsFolder();
  await writePlugin(root, 'prober', { 'plugin.yaml': pluginManifest('prober'), 'index.js': proberCode });
  await writePlugin(root, 'bystander', {
    'plugin.yaml': pluginManifest('bystander', 'dependencies: { prober: ^1.0.0 }\n'),
    'index.js': bystanderCode,
  });
  return root;
}
