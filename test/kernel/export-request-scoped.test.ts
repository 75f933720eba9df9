import { expect } from 'chai';
import { createKernel } from '../../kernel/index.js';
import { pluginsFolder, silentLogger } from '../helpers/fixtures.js';

describe('a plugin that exports a request-scoped service', () => {
  for (const isolation of ['none', 'process'] as const) {
    it(`fails its load with MODU_LOADER_EXPORT_REQUEST_SCOPED naming it (isolation: ${isolation})`, async () => {
      const dir = await pluginsFolder('broken/export-request-scoped');
      const kernel = createKernel({ pluginDirs: [dir], logger: silentLogger, isolation });
      try {
        const [plugin] = (await kernel.start()).plugins;
        expect([plugin?.state, plugin?.failure?.phase, plugin?.failure?.error.code]).to.deep.equal([
          'failed',
          'load',
          'MODU_LOADER_EXPORT_REQUEST_SCOPED',
        ]);
        expect(plugin?.failure?.error.message).to.equal(
          "Plugin 'export-request-scoped' exports Trace in plugin.yaml, which its code makes request-scoped: one per request of its own routes, which no other plugin can use.",
        );
      } finally {
        await kernel.stop();
      }
    });
  }
});
