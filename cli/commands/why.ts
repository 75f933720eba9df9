import { explainPlugin, ModuError, type PluginExplanation } from '../../kernel/index.js';
import { analyzePlugins } from '../analyze-plugins.js';
import { ExitCode } from '../cli-io.js';
import { ExitWith } from '../exit-with.js';
import { pluginDirs } from '../plugin-dirs.js';
import { writeOutput } from '../render/write-output.js';
import type { AddCommand } from './index.js';

function render(explanation: PluginExplanation): string {
  if (!explanation.loads) {
    const [first, ...rest] = explanation.because;
    const lines = [`${explanation.plugin} would not load: ${first?.message}`];
    for (const problem of rest) lines.push(`  because ${problem.message} (${problem.code})`);
    return `${lines.join('\n')}\n`;
  }
  const after = explanation.after.map((d) => `${d.plugin} (wave ${d.wave})`).join(', ');
  return [
    `${explanation.plugin} loads in wave ${explanation.wave} of ${explanation.waves}`,
    after ? `  after: ${after}` : '  after: nothing (it has no dependencies)',
    `  longest chain: ${explanation.chain.join(' -> ')}`,
    `  needed by: ${explanation.neededBy.join(', ') || 'no plugin'}`,
    '',
  ].join('\n');
}

/** `modu why <plugin>`: why a plugin loads where it does, or why it would be skipped or fail. */
export const addWhyCommand: AddCommand = (program, io) => {
  program
    .command('why')
    .description('explain why a plugin loads in its wave, or why it would fail or be skipped')
    .argument('<plugin>', 'plugin name')
    .option('--plugins <dir>', 'plugins folder (default: pluginDirs of ./modu.yaml, else ./plugins)')
    .option('--config <file>', 'host config file')
    .option('--json', 'print JSON')
    .action(async (plugin: string, options: { plugins?: string; config?: string; json?: boolean }) => {
      const dirs = await pluginDirs(io, options);
      const { graph, invalid } = await analyzePlugins(dirs);
      const broken = invalid.find((p) => p.plugin === plugin);
      if (broken) throw broken.error;
      const explanation = explainPlugin(graph, plugin);
      if (explanation === undefined) {
        throw new ModuError('MODU_LOADER_PLUGIN_NOT_FOUND', `No plugin named ${plugin} in ${dirs.join(', ')}.`, {
          details: { plugin },
        });
      }
      writeOutput(io, options.json, explanation, render);
      if (!explanation.loads) throw new ExitWith(ExitCode.failed);
    });
};
