import type { Logger } from '../../authoring/plugin-definition.js';
import type { LogMessage } from '../isolation-protocol.js';

type Level = LogMessage['level'];

/** Reads an object, or an error's safe parts; the host logs what arrives under the plugin's name. */
function plain(obj: object): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    result[key] =
      value instanceof Error
        ? { name: value.name, message: value.message, code: (value as { code?: unknown }).code }
        : value;
  }
  return result;
}

/**
 * A Logger inside the plugin's process that sends each line to the host, which writes it to its own structured log
 * bound to the plugin's name. A value that cannot be cloned is sent as its string form.
 */
export function ipcLogger(send: (message: LogMessage) => void, bindings: Record<string, unknown> = {}): Logger {
  const line =
    (level: Level) =>
    (obj: object | string, msg?: string): void => {
      const fields = typeof obj === 'string' ? { ...bindings } : { ...bindings, ...plain(obj) };
      const text = typeof obj === 'string' ? obj : msg;
      try {
        send({ t: 'log', level, obj: structuredClone(fields), msg: text });
      } catch {
        send({ t: 'log', level, obj: { fields: String(fields) }, msg: text });
      }
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (more) => ipcLogger(send, { ...bindings, ...more }),
  };
}
