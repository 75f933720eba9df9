import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

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

function toRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === '*' && pattern.charAt(i + 1) === '*') {
      source += '.*';
      i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * A gitignore-like matcher: a pattern without `/` matches any path segment (`*.log`), one with `/`
 * matches from the plugin root (`docs/**`), a trailing `/` matches folders only; `#` starts a comment.
 */
export class IgnoreList {
  private readonly rules: { regex: RegExp; anchored: boolean; dirOnly: boolean }[];

  constructor(patterns: readonly string[]) {
    this.rules = patterns
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => {
        const dirOnly = line.endsWith('/');
        const body = line.replace(/^\/+/, '').replace(/\/+$/, '');
        return { regex: toRegExp(body), anchored: body.includes('/'), dirOnly };
      });
  }

  /** True when the relative path (with `/`) is ignored. */
  ignores(path: string, directory: boolean): boolean {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return this.rules.some(
      (rule) => (!rule.dirOnly || directory) && (rule.anchored ? rule.regex.test(path) : rule.regex.test(name)),
    );
  }

  /** The defaults plus the folder's `.moduignore`, when there is one. */
  static async forFolder(root: string): Promise<IgnoreList> {
    const text = await readFile(join(root, '.moduignore'), 'utf8').catch(() => '');
    return new IgnoreList([...DEFAULT_IGNORES, ...text.split(/\r?\n/)]);
  }
}
