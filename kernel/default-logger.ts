import { pino } from 'pino';
import type { Logger } from './authoring/plugin-definition.js';

/**
 * pino on stderr at MODU_LOG_LEVEL (default `info`), with credentials redacted wherever a plugin
 * logs a request's headers or a config object.
 */
export function defaultLogger(env: Readonly<Record<string, string | undefined>>): Logger {
  const options = {
    level: env.MODU_LOG_LEVEL ?? 'info',
    redact: {
      paths: [
        '*.authorization',
        '*.headers.authorization',
        '*.headers.cookie',
        '*.token',
        '*.password',
        '*.secret',
        '*.adminToken',
      ],
      censor: '[redacted]',
    },
  };
  return pino(options, pino.destination(2)) as unknown as Logger;
}
