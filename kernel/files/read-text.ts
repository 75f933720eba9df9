import { readFile } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Reads a UTF-8 file asynchronously. On Node 20, `fs.promises.readFile` costs about twice the
 * callback version per small file (its FileHandle round trips), which adds up over thousands of
 * manifests and plugin sources read at boot.
 */
export const readText: (path: string) => Promise<string> = (path) => readFileAsync(path, 'utf8');

const readFileAsync = promisify(readFile);
