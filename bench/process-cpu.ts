import { readFileSync } from 'node:fs';

/** CPU time (user + system) spent so far by a server process and by the plugin process it started, in µs. */
export interface CpuMicros {
  readonly host: number;
  readonly plugin: number;
}

/** Clock ticks per second of /proc/<pid>/stat on Linux. */
const TICK_MICROS = 10_000;

function processMicros(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MICROS;
  } catch {
    return Number.NaN;
  }
}

/** The CPU time of this process, and of the plugin process `pluginPid` when there is one (0 otherwise). */
export function cpuMicros(pluginPid: number | undefined): CpuMicros {
  const usage = process.cpuUsage();
  return { host: usage.user + usage.system, plugin: pluginPid === undefined ? 0 : processMicros(pluginPid) };
}
