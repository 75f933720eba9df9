/** The file, at a plugin's root, listing what its pack and its scan leave out. */
export const IGNORE_FILE = '.moduignore';

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
 * A gitignore-like matcher, the syntax of `.moduignore`: a pattern without `/` matches any path segment (`*.log`),
 * one with `/` matches from the plugin root (`docs/**`), a trailing `/` matches folders only; `#` starts a comment.
 * The pack and the scan read the same file through it, so what one leaves out the other does too; a file left out
 * of the scan is never approved, so the module gate refuses to load it.
 *
 * @example
 * new IgnoreList(['src/', '*.ts']).ignoresEntry('src/index.ts') // true
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

  /** The patterns of a `.moduignore` text, one a line. */
  static parse(text: string): IgnoreList {
    return new IgnoreList(text.split(/\r?\n/));
  }

  /** True when there are no patterns. */
  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** True when the relative path (with `/`) is ignored. */
  ignores(path: string, directory: boolean): boolean {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return this.rules.some(
      (rule) => (!rule.dirOnly || directory) && (rule.anchored ? rule.regex.test(path) : rule.regex.test(name)),
    );
  }

  /** True when a listed file (relative path) or any folder above it is ignored, as a walk that prunes would find. */
  ignoresEntry(path: string): boolean {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      if (this.ignores(path.slice(0, slash), true)) return true;
    }
    return this.ignores(path, false);
  }
}
