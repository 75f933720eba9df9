// Removes the previous build so that deleted sources never linger as stale .js in dist/.
import { rm } from 'node:fs/promises';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
