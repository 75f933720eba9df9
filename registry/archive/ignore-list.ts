import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { IGNORE_FILE, IgnoreList } from '../../kernel/index.js';

/** Always left out of a pack, before `.moduignore` adds its own patterns. */
export const DEFAULT_IGNORES = [
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  '.modu',
  '.DS_Store',
  '*.tgz',
  '.moduignore',
  'modu-lock.yaml',
];

/**
 * What a pack of `root` leaves out: the defaults plus the folder's `.moduignore`, read with the kernel's parser, the
 * one the scan uses.
 */
export async function packIgnoreList(root: string): Promise<IgnoreList> {
  const text = await readFile(join(root, IGNORE_FILE), 'utf8').catch(() => '');
  return new IgnoreList([...DEFAULT_IGNORES, ...text.split(/\r?\n/)]);
}
