import { ModuError, parseYaml, validate } from '../../kernel/index.js';

/**
 * Parses and validates one registry YAML file (bytes as stored). Every registry file read goes
 * through here, so a damaged file is reported by name and field instead of being half-trusted.
 *
 * @throws ModuError `MODU_REGISTRY_FILE_INVALID`
 */
export function parseRegistryFile<T>(bytes: Uint8Array, file: string, schema: object): T {
  try {
    const yaml = parseYaml(Buffer.from(bytes).toString('utf8'), file);
    return validate<T>(schema, yaml.value, yaml, 'MODU_REGISTRY_FILE_INVALID');
  } catch (error) {
    if (ModuError.is(error) && error.code === 'MODU_YAML_INVALID') {
      throw new ModuError('MODU_REGISTRY_FILE_INVALID', error.message, { details: error.details, cause: error });
    }
    throw error;
  }
}
