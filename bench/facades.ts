import { pino } from 'pino';
import type { Logger } from '../kernel/authoring/plugin-definition.js';
import { contextFacade } from '../kernel/facades/context-facade.js';
import { loggerFacade } from '../kernel/facades/logger-facade.js';
import { nullPrototypeCopy } from '../kernel/validation/null-prototype-copy.js';
import { median } from './median.js';

const CALLS = 200_000;
const ROUNDS = 7;

/** Nanoseconds per call of `body`, the median of a few rounds after a warm-up round. */
function perCall(body: (i: number) => unknown): number {
  let sink: unknown;
  for (let i = 0; i < CALLS; i++) sink = body(i);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < CALLS; i++) sink = body(i);
    times.push(Number(process.hrtime.bigint() - start) / CALLS);
  }
  if (sink === Symbol.for('never')) console.log(sink);
  return median(times);
}

function row(what: string, facade: number, baseline: number, against: string): void {
  console.log(`${what.padEnd(44)} ${(facade / baseline).toFixed(2)}x ${against}`);
}

/** What a plugin calls through its logger: the facade's closure over pino's method, against pino's method itself. */
function logger(): void {
  // Written nowhere, but through pino's full serialisation: the cost a real log call has either way.
  const host = pino({ level: 'info' }, { write: () => undefined }) as unknown as Logger;
  const facade = loggerFacade(host);
  const direct = perCall((i) => host.info({ i }, 'ready'));
  const through = perCall((i) => facade.info({ i }, 'ready'));
  row('logger.info through the facade', through, direct, 'the pino call');
  const below = pino({ level: 'warn' }, { write: () => undefined }) as unknown as Logger;
  const belowFacade = loggerFacade(below);
  row(
    'logger.debug below the level, through it',
    perCall((i) => belowFacade.debug({ i }, 'x')),
    perCall((i) => below.debug({ i }, 'x')),
    'the pino call',
  );
}

/** Reading members and a getter of the frozen null-prototype context, and building one, against a plain object. */
function context(): void {
  const use = (token: string) => token.length;
  const controller = new AbortController();
  const members = { plugin: 'users', use, has: (token: string) => token.length > 0, logger: {} };
  const facade = contextFacade<typeof members & { signal: AbortSignal }>(members, { signal: () => controller.signal });
  const plain = {
    ...members,
    get signal() {
      return controller.signal;
    },
  };
  const read = (ctx: typeof plain) => ctx.use(ctx.plugin) + (ctx.signal.aborted ? 1 : 0) + (ctx.has('x') ? 1 : 0);
  row(
    'ctx.use / ctx.signal / ctx.has through it',
    perCall(() => read(facade)),
    perCall(() => read(plain)),
    'a plain object',
  );
  const build = perCall(() => contextFacade(members, { signal: () => controller.signal }));
  const spread = perCall(() => ({
    ...members,
    get signal() {
      return controller.signal;
    },
  }));
  row('building a context facade', build, spread, 'a plain object literal');
}

/** Deep reads of the deep-frozen null-prototype config copy, against the plain parsed config. */
function config(): void {
  const value = { pageSize: 20, limits: { burst: 5, window: { seconds: 60 } }, tags: ['a', 'b', 'c'] };
  const frozen = nullPrototypeCopy(value, true);
  const read = (c: typeof value) => c.pageSize + c.limits.burst + c.limits.window.seconds + c.tags.length;
  row(
    'config deep reads through the frozen copy',
    perCall(() => read(frozen)),
    perCall(() => read(value)),
    'the plain config',
  );
}

/**
 * What the facades a plugin gets (logger, ctx, config) cost per call, each as a ratio against the same call on the
 * host's own object in the same run. `npm run bench -- facades`.
 */
export async function run(): Promise<void> {
  logger();
  context();
  config();
}
