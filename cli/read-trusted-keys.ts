import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { keyIdOf, type TrustedKey } from '../registry/index.js';
import type { CliIO } from './cli-io.js';

/** Reads each `--trusted-key <file>` (an ed25519 public key, PEM) into the keys installs trust. */
export async function readTrustedKeys(io: CliIO, files: readonly string[]): Promise<TrustedKey[]> {
  return Promise.all(
    files.map(async (file) => {
      const publicKey = await readFile(resolve(io.cwd, file), 'utf8');
      return { id: keyIdOf(publicKey), publicKey };
    }),
  );
}
