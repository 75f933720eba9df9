import type { ServiceOwnership } from '../container/service-ownership.js';
import { ModuError } from '../errors/modu-error.js';

/**
 * The error for a plugin asking for a token it cannot see, saying which step is missing: the
 * owner is not loaded, not a declared dependency, or does not export the service.
 */
export function explainInvisible(
  plugin: string,
  token: string,
  dependencies: ReadonlySet<string>,
  env: { readonly ownership: ServiceOwnership },
): ModuError {
  const owner = env.ownership.ownerOf(token);
  const details = { plugin, token, owner };
  if (owner === undefined) {
    return new ModuError('MODU_CONTAINER_NOT_VISIBLE', `${plugin} uses ${token}, which no loaded plugin provides.`, {
      details,
      hint: 'Check the token (<plugin>/<Service>) and that the plugin providing it is installed and loaded.',
    });
  }
  if (owner === plugin) {
    return new ModuError('MODU_CONTAINER_NOT_VISIBLE', `${plugin} uses its own ${token} before it is bound.`, {
      details,
    });
  }
  if (!dependencies.has(owner)) {
    return new ModuError(
      'MODU_CONTAINER_NOT_VISIBLE',
      `${plugin} uses ${token}, but ${owner} is not among its dependencies in plugin.yaml.`,
      { details, hint: `Add ${owner} under \`dependencies\` in ${plugin}'s plugin.yaml.` },
    );
  }
  return new ModuError('MODU_CONTAINER_NOT_VISIBLE', `${plugin} uses ${token}, which ${owner} does not export.`, {
    details,
    hint: `List the service under \`exports.services\` in ${owner}'s plugin.yaml, or use only what it exports.`,
  });
}
