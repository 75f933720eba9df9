// A host in a process of its own, for the test that kills it: starts a kernel over argv[2] with iso-echo isolated,
// prints the isolated plugin's pid, and waits.
import { createKernel } from '../../../kernel/index.js';
import { silentLogger } from '../../helpers/fixtures.js';

const kernel = createKernel({
  pluginDirs: [process.argv[2] as string],
  logger: silentLogger,
  plugins: { 'iso-echo': { isolation: 'process' } },
});
await kernel.start();
const pid = kernel.snapshot().find((p) => p.name === 'iso-echo')?.isolation?.pid;
process.stdout.write(`${JSON.stringify({ pid })}\n`);
setInterval(() => {}, 60_000);
