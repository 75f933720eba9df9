import { Option } from 'commander';
import { analyzePlugins } from '../analyze-plugins.js';
import { ExitCode } from '../cli-io.js';
import { ExitWith } from '../exit-with.js';
import { pluginDirs } from '../plugin-dirs.js';
import { graphJson, renderGraphDot, renderGraphText } from '../render/render-graph.js';
import type { AddCommand } from './index.js';

/** `modu graph`: the load waves and every problem, without running plugin code; exit 1 on any problem. */
export const addGraphCommand: AddCommand = (program, io) => {
  program
    .command('graph')
    .description('show the load waves, cycles and missing or mismatched dependencies (runs no plugin code)')
    .option('--plugins <dir>', 'plugins folder (default: pluginDirs of ./modu.yaml, else ./plugins)')
    .option('--config <file>', 'host config file')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json', 'dot']).default('text'))
    .option('--json', 'same as --format json')
    .action(async (options: { plugins?: string; config?: string; format: string; json?: boolean }) => {
      const analysis = await analyzePlugins(await pluginDirs(io, options));
      const format = options.json ? 'json' : options.format;
      if (format === 'json') io.stdout.write(`${JSON.stringify(graphJson(analysis), null, 2)}\n`);
      else if (format === 'dot') io.stdout.write(renderGraphDot(analysis));
      else io.stdout.write(renderGraphText(analysis));
      if (analysis.graph.problems.length > 0 || analysis.invalid.length > 0) throw new ExitWith(ExitCode.failed);
    });
};
