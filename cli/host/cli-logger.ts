import { Writable } from 'node:stream';
import { defaultLogger, type Logger } from '../../kernel/index.js';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'plugin']);

/** One pino JSON line as a line for people: `12:00:01 INFO  users: ready pageSize=2`. */
export function prettyLine(json: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = new Date(Number(entry.time)).toISOString().slice(11, 19);
  const level = (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const who = typeof entry.plugin === 'string' ? `${entry.plugin}: ` : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !SKIP.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const stack =
    typeof (entry.err as { stack?: unknown })?.stack === 'string' ? (entry.err as { stack: string }).stack : '';
  return `${time} ${level} ${who}${String(entry.msg ?? '')}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}${stack ? `\n${stack}` : ''}`;
}

/** Where `modu start` logs: `out` gets pino JSON lines, or with `pretty` one readable line each. */
export function cliLogger(
  out: { write(text: string): unknown },
  options: { readonly pretty: boolean; readonly level: string },
): Logger {
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = chunk.toString();
      out.write(options.pretty ? `${text.split('\n').filter(Boolean).map(prettyLine).join('\n')}\n` : text);
      done();
    },
  });
  return defaultLogger({ MODU_LOG_LEVEL: options.level }, destination);
}
