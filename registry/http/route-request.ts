import { ModuError, type NeutralRequest } from '../../kernel/index.js';
import { checkPluginName } from '../store/check-name.js';

/** A registry API request, parsed from its method and path. */
export type RegistryRoute =
  | { readonly op: 'list' }
  | { readonly op: 'publish' }
  | { readonly op: 'info' | 'versions' | 'dist-tags' | 'resolve' | 'deprecate' | 'unpublish'; readonly name: string }
  | { readonly op: 'version' | 'download'; readonly name: string; readonly version: string }
  | { readonly op: 'tag-add' | 'tag-remove'; readonly name: string; readonly tag: string };

const READ_OPS: Record<string, RegistryRoute['op']> = {
  versions: 'versions',
  'dist-tags': 'dist-tags',
  resolve: 'resolve',
};
const WRITE_OPS: Record<string, RegistryRoute['op']> = { deprecate: 'deprecate', unpublish: 'unpublish' };

function badRoute(request: NeutralRequest): ModuError {
  return new ModuError(
    'MODU_REGISTRY_ROUTE_UNKNOWN',
    `${request.method} ${request.path} is not a registry operation.`,
    {
      details: { method: request.method, path: request.path },
    },
  );
}

function pluginRoute(method: string, name: string, rest: readonly string[]): RegistryRoute | undefined {
  const [what, arg, extra] = rest;
  if (extra !== undefined) return undefined;
  if (what === undefined) return method === 'GET' ? { op: 'info', name } : undefined;
  if (arg === undefined) {
    if (method === 'GET' && READ_OPS[what] !== undefined) return { op: READ_OPS[what], name } as RegistryRoute;
    if (method === 'POST' && WRITE_OPS[what] !== undefined) return { op: WRITE_OPS[what], name } as RegistryRoute;
    return undefined;
  }
  if (method === 'GET' && what === 'versions') return { op: 'version', name, version: arg };
  if (method === 'GET' && what === 'archives') return { op: 'download', name, version: arg.replace(/\.tgz$/, '') };
  if (what === 'dist-tags' && method === 'PUT') return { op: 'tag-add', name, tag: arg };
  if (what === 'dist-tags' && method === 'DELETE') return { op: 'tag-remove', name, tag: arg };
  return undefined;
}

/**
 * Maps a request under `prefix` to a registry operation; undefined when the path is outside the
 * prefix (not this handler's request).
 *
 * @throws ModuError `MODU_REGISTRY_ROUTE_UNKNOWN`, `MODU_REGISTRY_NAME_INVALID`
 */
export function routeRequest(request: NeutralRequest, prefix: string): RegistryRoute | undefined {
  const base = `${prefix}/plugins`;
  if (request.path !== base && !request.path.startsWith(`${base}/`)) return undefined;
  const segments = request.path.slice(base.length).split('/').filter(Boolean);
  if (segments.length === 0) {
    if (request.method === 'GET') return { op: 'list' };
    if (request.method === 'POST' || request.method === 'PUT') return { op: 'publish' };
    throw badRoute(request);
  }
  const scoped = segments[0]?.startsWith('@') === true;
  const name = checkPluginName(scoped ? `${segments[0]}/${segments[1] ?? ''}` : segments[0]);
  const route = pluginRoute(request.method, name, segments.slice(scoped ? 2 : 1));
  if (route === undefined) throw badRoute(request);
  return route;
}
