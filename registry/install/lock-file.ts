import { readFile } from 'node:fs/promises';
import type { FromSchema } from 'json-schema-to-ts';
import { stringify } from 'yaml';
import { ModuError, parseYaml, validate } from '../../kernel/index.js';
import { writeFileAtomically } from '../store/atomic-write.js';
import { integritySchema } from '../store/version-record.js';

/** The JSON Schema of `modu-lock.yaml`. */
export const lockFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['lockfileVersion', 'plugins'],
  properties: {
    lockfileVersion: { const: 1 },
    registry: { type: 'string' },
    plugins: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        additionalProperties: false,
        required: ['version', 'integrity'],
        properties: {
          version: { type: 'string', format: 'semver' },
          integrity: integritySchema,
          requested: { type: 'string', maxLength: 256 },
          dependencies: { type: 'object', additionalProperties: { type: 'string' } },
        },
      },
    },
  },
} as const;

/** A validated modu-lock.yaml: every installed plugin with its resolved version and integrity. */
export type LockFile = FromSchema<typeof lockFileSchema>;
/** One plugin in the lock file. */
export type LockedPlugin = LockFile['plugins'][string];

/** Reads the lock file; an empty lock when there is none. @throws ModuError `MODU_REGISTRY_LOCKFILE_INVALID` */
export async function readLockFile(file: string): Promise<LockFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lockfileVersion: 1, plugins: {} };
    throw error;
  }
  try {
    const yaml = parseYaml(text, file);
    return validate<LockFile>(lockFileSchema, yaml.value, yaml, 'MODU_REGISTRY_LOCKFILE_INVALID');
  } catch (error) {
    if (ModuError.is(error) && error.code === 'MODU_YAML_INVALID') {
      throw new ModuError('MODU_REGISTRY_LOCKFILE_INVALID', error.message, { details: error.details, cause: error });
    }
    throw error;
  }
}

/** Writes the lock file atomically, plugins sorted by name. */
export async function writeLockFile(file: string, lock: LockFile): Promise<void> {
  const plugins = Object.fromEntries(Object.entries(lock.plugins).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const text = `# Written by modu install; commit it. Reinstall exactly with: modu install --from-lock\n${stringify({ ...lock, plugins })}`;
  await writeFileAtomically(file, Buffer.from(text));
}
