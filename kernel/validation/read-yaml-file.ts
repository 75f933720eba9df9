import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { ModuError } from '../errors/modu-error.js';
import { readText } from '../files/read-text.js';
import type { ValidationSource } from './validate.js';

/** A parsed YAML file, its text, and a way to find where a JSON pointer sits in it. */
export interface YamlFile extends ValidationSource {
  readonly value: unknown;
  readonly text: string;
}

function pointerToPath(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** A finder of JSON pointers in YAML text, built on first use: only error reports need positions. */
function locator(text: string): (pointer: string) => { line: number; column: number } | undefined {
  let doc: ReturnType<typeof parseDocument> | undefined;
  let lineCounter: LineCounter | undefined;
  return (pointer) => {
    if (doc === undefined || lineCounter === undefined) {
      lineCounter = new LineCounter();
      doc = parseDocument(text, { lineCounter });
    }
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
}

/**
 * Parses YAML text; `file` only names it in errors. js-yaml parses (several times faster than
 * `yaml`, which matters at thousands of manifests); `yaml` locates pointers when a problem is reported.
 *
 * @throws ModuError `MODU_YAML_INVALID` with the line and column
 */
export function parseYaml(text: string, file: string): YamlFile {
  let value: unknown;
  try {
    // The YAML 1.2 core schema, as `yaml` reads it: timestamps stay strings.
    value = load(text, { filename: file, schema: CORE_SCHEMA });
  } catch (cause) {
    if (!(cause instanceof YAMLException)) throw cause;
    const line = cause.mark.line + 1;
    const column = cause.mark.column + 1;
    throw new ModuError('MODU_YAML_INVALID', `${file}:${line}:${column} is not valid YAML: ${cause.reason}`, {
      details: { file, line, column },
      cause,
    });
  }
  return { file, value, text, locate: locator(text) };
}

/** Reads and parses a YAML file with async I/O. @throws ModuError `MODU_YAML_INVALID`, `MODU_FILE_UNREADABLE` */
export async function readYamlFile(file: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readText(file);
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ModuError(missing ? 'MODU_FILE_MISSING' : 'MODU_FILE_UNREADABLE', `${file} cannot be read.`, {
      details: { file },
      cause,
    });
  }
  return parseYaml(text, file);
}
