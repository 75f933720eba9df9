import type { Command } from 'commander';
import type { CliIO } from '../cli-io.js';
import { addChannelCommand } from './channel.js';
import { addDeployCommand } from './deploy.js';
import { addDevCommand } from './dev.js';
import { addGraphCommand } from './graph.js';
import { addInitCommand } from './init.js';
import { addInstallCommand } from './install.js';
import { addNewCommand } from './new.js';
import { addPackCommand } from './pack.js';
import { addRegistryCommand } from './registry.js';
import { addScanCommand } from './scan.js';
import { addStartCommand } from './start.js';
import { addUninstallCommand } from './uninstall.js';
import { addValidateCommand } from './validate.js';
import { addWhyCommand } from './why.js';

/** Adds one command to the program. Each lives in its own file under cli/commands/. */
export type AddCommand = (program: Command, io: CliIO) => void;

/** Every command of `modu`, sorted by name; a test checks the order and that each has a description. */
export const commands: readonly AddCommand[] = [
  addChannelCommand,
  addDeployCommand,
  addDevCommand,
  addGraphCommand,
  addInitCommand,
  addInstallCommand,
  addNewCommand,
  addPackCommand,
  addRegistryCommand,
  addScanCommand,
  addStartCommand,
  addUninstallCommand,
  addValidateCommand,
  addWhyCommand,
];
