import semver from 'semver';
import { ModuError } from '../../kernel/index.js';
import type { ArchiveFile } from './read-archive.js';

const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare', 'preprepare', 'postprepare'];
const DEPENDENCY_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'];
const TAG = /^[a-z][a-z0-9-]*$/;

function refuse(what: string, reason: string, details: Record<string, unknown>): ModuError {
  return new ModuError('MODU_REGISTRY_PACKAGE_UNSAFE', `${what}/package.json ${reason}.`, {
    details: { what, ...details },
  });
}

function isRegistrySpec(spec: unknown): boolean {
  return typeof spec === 'string' && (semver.validRange(spec) !== null || TAG.test(spec));
}

function insidePackage(path: unknown): boolean {
  if (typeof path !== 'string') return true;
  const normal = path.replaceAll('\\', '/');
  return !normal.startsWith('/') && !/^[A-Za-z]:/.test(normal) && !normal.split('/').includes('..');
}

/**
 * Refuses a package.json (at the plugin root) that would run code on install or pull code from
 * outside a registry: install scripts, git/file/http/link/github-shorthand specs, `main` outside.
 *
 * @throws ModuError `MODU_REGISTRY_PACKAGE_UNSAFE`
 */
export function checkPackageJson(files: readonly ArchiveFile[], what: string): void {
  const file = files.find((f) => f.path === 'package.json');
  if (file === undefined) return;
  let pkg: Record<string, unknown>;
  try {
    pkg = JSON.parse(file.data.toString('utf8')) as Record<string, unknown>;
  } catch (cause) {
    throw new ModuError('MODU_REGISTRY_PACKAGE_UNSAFE', `${what}/package.json is not valid JSON.`, { cause });
  }
  const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
  const script = INSTALL_SCRIPTS.find((name) => name in scripts);
  if (script !== undefined) throw refuse(what, `has an install script "${script}"`, { script });
  for (const field of DEPENDENCY_FIELDS) {
    for (const [name, spec] of Object.entries((pkg[field] ?? {}) as Record<string, unknown>)) {
      if (!isRegistrySpec(spec)) {
        throw refuse(what, `${field}.${name} is not a registry semver range (${JSON.stringify(spec)})`, {
          field,
          dependency: name,
          spec,
        });
      }
    }
  }
  if (!insidePackage(pkg.main)) throw refuse(what, `main ${JSON.stringify(pkg.main)} points outside the package`, {});
}
