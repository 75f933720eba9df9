import { type DestinationStream, pino } from 'pino';
import type { Logger } from './authoring/plugin-definition.js';

/**
 * pino at MODU_LOG_LEVEL (default `info`) on stderr or `destination`, with credentials redacted wherever a plugin
 * logs a request's headers or a config object.
 */
export function defaultLogger(
  env: Readonly<Record<string, string | undefined>>,
  destination: DestinationStream = pino.destination(2),
): Logger {
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
  return pino(options, destination) as unknown as Logger;
}
