import type { Logger } from '../authoring/plugin-definition.js';
import { ObjectCreate, ObjectFreeze, ReflectApply } from '../primordials.js';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
/** Where a level the underlying logger lacks goes instead (a minimal pino-compatible logger has only four). */
const FALLBACK = { trace: 'debug', fatal: 'error' } as const;

type Method = (...args: unknown[]) => void;

function methodOf(logger: Logger, level: (typeof LEVELS)[number]): Method {
  const own = (logger as unknown as Record<string, unknown>)[level];
  if (typeof own === 'function') return own as Method;
  const instead = (logger as unknown as Record<string, unknown>)[FALLBACK[level as keyof typeof FALLBACK]];
  return typeof instead === 'function' ? (instead as Method) : () => {};
}

/**
 * The logger a plugin gets: a frozen, null-prototype object with only `trace`, `debug`, `info`, `warn`, `error`,
 * `fatal` and `child()`, each a closure over the host logger's method captured now. Nothing on it leads to the pino
 * instance, its stream or destination (SonicBoom), or a prototype shared with the host or another plugin, so a
 * plugin can neither write files through the destination nor rewrite a shared method to read others' log calls.
 *
 * @example const logger = loggerFacade(hostLogger.child({ plugin: 'users' })); logger.info({ n: 1 }, 'ready');
 */
export function loggerFacade(logger: Logger): Logger {
  const facade = ObjectCreate(null) as Record<string, unknown>;
  for (let i = 0; i < LEVELS.length; i++) {
    const level = LEVELS[i] as (typeof LEVELS)[number];
    const method = methodOf(logger, level);
    facade[level] = (...args: unknown[]): void => void ReflectApply(method, logger, args);
  }
  const child = logger.child;
  facade.child = (bindings: Record<string, unknown>): Logger =>
    loggerFacade(ReflectApply(child, logger, [{ ...bindings }]) as Logger);
  return ObjectFreeze(facade) as unknown as Logger;
}
