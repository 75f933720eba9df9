import { expect } from 'chai';
import type { HookContext, PluginContext } from '../../../kernel/authoring/plugin-definition.js';
import { ModuError } from '../../../kernel/errors/modu-error.js';
import { runHook } from '../../../kernel/lifecycle/run-hook.js';
import { silentLogger } from '../../helpers/fixtures.js';

const context: PluginContext = {
  plugin: 'slow',
  version: '1.0.0',
  config: {},
  logger: silentLogger,
  use: () => {
    throw new Error('no services here');
  },
  useAsync: () => Promise.reject(new Error('no services here')),
  has: () => false,
};

const run = { plugin: 'slow', hook: 'onLoad', timeoutMs: 30, blocks: ['users', 'todos'] } as const;

async function rejection(promise: Promise<unknown>): Promise<ModuError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!ModuError.is(error)) throw new Error(`expected a ModuError, got ${String(error)}`);
  return error;
}

describe('runHook', () => {
  it('hands the hook the plugin context and resolves when the hook does', async () => {
    let seen: HookContext | undefined;
    await runHook(
      async (ctx) => {
        seen = ctx;
      },
      context,
      run,
    );
    expect(seen?.plugin).to.equal('slow');
    expect(seen?.signal.aborted).to.equal(false);
  });

  it('fails a hook that overruns its timeout, naming the plugin, the phase, the time and whom it blocks', async () => {
    const error = await rejection(runHook(() => new Promise(() => {}), context, run));
    expect(error.code).to.equal('MODU_LIFECYCLE_TIMEOUT');
    expect(error.message).to.match(
      /^Plugin 'slow' did not finish onLoad within 30 ms \(stopped after \d+ ms\); it blocks users, todos\.$/,
    );
    expect(error.details).to.include({ plugin: 'slow', phase: 'onLoad', timeoutMs: 30 });
  });

  it('aborts the signal the hook holds when the time is up, with the timeout error as its reason', async () => {
    let signal: AbortSignal | undefined;
    const error = await rejection(
      runHook(
        (ctx) => {
          signal = ctx.signal;
          return new Promise(() => {});
        },
        context,
        run,
      ),
    );
    expect(signal?.aborted).to.equal(true);
    expect(signal?.reason).to.equal(error);
  });

  it('gives a hook that first reads its signal after the time is up one already aborted', async () => {
    let late: HookContext | undefined;
    const error = await rejection(
      runHook(
        (ctx) => {
          late = ctx;
          return new Promise(() => {});
        },
        context,
        run,
      ),
    );
    expect(late?.signal.aborted).to.equal(true);
    expect(late?.signal.reason).to.equal(error);
  });

  it('wraps what a hook throws in MODU_LIFECYCLE_HOOK_FAILED with the cause', async () => {
    const cause = new Error('database unreachable');
    const error = await rejection(
      runHook(
        () => {
          throw cause;
        },
        context,
        run,
      ),
    );
    expect(error.code).to.equal('MODU_LIFECYCLE_HOOK_FAILED');
    expect(error.message).to.equal("Plugin 'slow' failed in onLoad: database unreachable");
    expect(error.cause).to.equal(cause);
  });
});
