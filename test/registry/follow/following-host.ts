import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ListeningProcess, spawnListening } from '../../helpers/spawn-listening.js';

/** A `modu start --follow` child process on 127.0.0.1 and a free port. */
export interface FollowingHost extends ListeningProcess {
  readonly id: string;
}

/** Starts a host in its own folder (modu.yaml, plugins/) following `channel` on `registry`, `env` added to its own. */
export async function startFollowingHost(
  root: string,
  id: string,
  registry: string,
  channel: string,
  env: Record<string, string> = {},
): Promise<FollowingHost> {
  const dir = join(root, id);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'modu.yaml'), 'pluginDirs: [plugins]\nadapter: express\nhost: 127.0.0.1\n');
  const args = ['start', '--follow', channel, '--registry', registry, '--port', '0', '--host-id', id];
  const host = await spawnListening(args, /listening on (http:\/\/127\.0\.0\.1:\d+)/, {
    cwd: dir,
    env: { ...process.env, MODU_LOG_LEVEL: 'warn', ...env },
  });
  return { ...host, id };
}
