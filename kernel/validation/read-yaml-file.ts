import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { ModuError } from '../errors/modu-error.js';
import type { ValidationSource } from './validate.js';

/** A parsed YAML file and a way to find where a JSON pointer sits in it. */
export interface YamlFile extends ValidationSource {
  readonly value: unknown;
}

function pointerToPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** Parses YAML text; `file` only names it in errors. @throws ModuError `MODU_YAML_INVALID` */
export function parseYaml(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const [first] = doc.errors;
  if (first !== undefined) {
    const at = lineCounter.linePos(first.pos[0]);
    const where = `${file}:${at.line}:${at.col}`;
    throw new ModuError('MODU_YAML_INVALID', `${where} is not valid YAML: ${first.message.split('\n')[0]}`, {
      details: { file, line: at.line, column: at.col },
      cause: first,
    });
  }
  const locate = (pointer: string) => {
    const path = pointerToPath(pointer);
    // Walk up until a node exists: a missing field is reported where its parent sits.
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) {
        const { line, col } = lineCounter.linePos(node.range[0]);
        return { line, column: col };
      }
    }
    return undefined;
  };
  return { file, value: doc.toJS({ maxAliasCount: 100 }), locate };
}

/** Reads and parses a YAML file with async I/O. @throws ModuError `MODU_YAML_INVALID`, `MODU_FILE_UNREADABLE` */
export async function readYamlFile(file: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModuError(missing ? 'MODU_FILE_MISSING' : 'MODU_FILE_UNREADABLE', `${file} cannot be read`, {
      details: { file },
      cause,
    });
  }
  return parseYaml(text, file);
}
