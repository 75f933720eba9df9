import { type ListeningProcess, spawnListening } from '../helpers/spawn-listening.js';

/** A `modu registry serve` child process on 127.0.0.1 and a free port. */
export type RegistryServerProcess = ListeningProcess;

/** Starts `modu registry serve --registry <address> --port 0 --token <token>` and waits for its URL. */
export function startRegistryServer(address: string, token: string): Promise<RegistryServerProcess> {
  const args = ['registry', 'serve', '--registry', address, '--port', '0', '--token', token];
  return spawnListening(args, /on (http:\/\/127\.0\.0\.1:\d+)/);
}
