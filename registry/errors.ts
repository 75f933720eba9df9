import { defineErrors } from '../kernel/index.js';

/** Every error code the registry throws. `docs/errors.md` lists the same codes; a test keeps them equal. */
export const registryErrors = defineErrors({
  // names and inputs
  MODU_REGISTRY_NAME_INVALID: {
    title: 'Invalid plugin name',
    status: 400,
    hint: "Use lowercase a-z 0-9 '-' (optionally '@scope/name'), not a reserved name, no dots or slashes.",
  },
  MODU_REGISTRY_VERSION_INVALID: {
    title: 'Invalid version or range',
    status: 400,
    hint: "Give a semver version such as '1.4.0', a range such as '^1.4.0', or a dist-tag name.",
  },
  MODU_REGISTRY_BAD_REQUEST: {
    title: 'Bad registry request',
    status: 400,
    hint: 'Check the request path, query and body against the registry HTTP API.',
  },
  MODU_REGISTRY_ROUTE_UNKNOWN: {
    title: 'No such registry operation',
    status: 404,
    hint: 'Check the method and path against the registry HTTP API (docs/authoring.md lists it).',
  },

  // the registry folder
  MODU_REGISTRY_FORMAT_UNSUPPORTED: {
    title: 'Registry format not supported',
    status: 500,
    hint: 'This registry was written by a newer Modu; upgrade Modu to read it.',
  },
  MODU_REGISTRY_FILE_INVALID: {
    title: 'Invalid registry file',
    status: 500,
    hint: 'The registry file named is damaged; restore it from a backup or fix the field shown.',
  },
  MODU_REGISTRY_LOCK_TIMEOUT: {
    title: 'Registry busy',
    status: 503,
    hint: 'Another writer holds the lock; retry. A lock left by a crashed writer expires by itself within seconds.',
  },
  MODU_REGISTRY_LOCK_LOST: {
    title: 'Registry lock lost',
    status: 503,
    hint: 'The lock expired or was taken during the write (a stalled process or a slow disk); retry the operation.',
  },
  MODU_REGISTRY_KEY_INVALID: {
    title: 'Registry key not allowed',
    status: 400,
    hint: 'Names, versions and tags become registry keys; use the characters their checks allow, never `.` or `..` parts.',
  },
  MODU_REGISTRY_ARCHIVE_MISSING: {
    title: 'Archive missing',
    status: 500,
    hint: 'The version record is there but its archive is not: restore the archive from a backup, or unpublish the version.',
  },
  MODU_REGISTRY_CHANNEL_REVISION_EXISTS: {
    title: 'Channel revision written twice',
    status: 409,
    hint: 'Another writer wrote the same revision outside the channel lock; retry the deploy.',
  },
  MODU_REGISTRY_INTERNAL: {
    title: 'Registry failed unexpectedly',
    status: 500,
    hint: 'The registry server hit an error it does not know; its log has the cause.',
  },

  // reads
  MODU_REGISTRY_NOT_FOUND: {
    title: 'Plugin not found',
    status: 404,
    hint: 'Check the name with `modu registry search`, or publish it first.',
  },
  MODU_REGISTRY_VERSION_NOT_FOUND: {
    title: 'Version not found',
    status: 404,
    hint: 'List the published versions with `modu registry info <name>`.',
  },
  MODU_REGISTRY_NO_MATCH: {
    title: 'No version satisfies the range',
    status: 404,
    hint: 'Widen the range, or list the versions (deprecated and unpublished ones are skipped).',
  },
  MODU_REGISTRY_VERSION_UNPUBLISHED: {
    title: 'Version unpublished',
    status: 410,
    hint: 'Pick another version; an unpublished version is never served again.',
  },

  // writes
  MODU_REGISTRY_VERSION_EXISTS: {
    title: 'Version already published',
    status: 409,
    hint: 'Published versions are immutable: bump the version in plugin.yaml and publish again.',
  },
  MODU_REGISTRY_UNPUBLISH_REFUSED: {
    title: 'Unpublish refused',
    status: 409,
    hint: 'Deprecate the version instead, or pass --force when only the time window blocks it.',
  },
  MODU_REGISTRY_DIST_TAG_INVALID: {
    title: 'Invalid dist-tag',
    status: 400,
    hint: "A tag is lowercase letters, digits and '-', is not a semver range, and points at a published version.",
  },
  MODU_REGISTRY_SCAN_FAILED: {
    title: 'Security scan rejected the plugin',
    status: 400,
    hint: 'Fix each finding listed (file:line), or ask for the capability in plugin.yaml `permissions`.',
  },

  // archives and packages
  MODU_REGISTRY_PACK_FAILED: {
    title: 'Pack failed',
    status: 400,
    hint: 'Remove links and special files from the plugin folder, or list them in .moduignore.',
  },
  MODU_REGISTRY_ARCHIVE_INVALID: {
    title: 'Not a valid plugin archive',
    status: 400,
    hint: 'Rebuild the archive with `modu pack`; it must be a complete gzip-compressed tar.',
  },
  MODU_REGISTRY_ARCHIVE_UNSAFE: {
    title: 'Unsafe archive entry',
    status: 400,
    hint: 'The archive holds a path or entry type Modu never extracts; rebuild it with `modu pack`.',
  },
  MODU_REGISTRY_ARCHIVE_TOO_LARGE: {
    title: 'Archive over a limit',
    status: 413,
    hint: 'Shrink the plugin (see .moduignore) or raise the limit in registry.yaml `settings`.',
  },
  MODU_REGISTRY_ARCHIVE_TOO_DEEP: {
    title: 'Archive folders nested too deep',
    status: 400,
    hint: "Flatten the plugin's folder tree or raise maxDepth in registry.yaml `settings`.",
  },
  MODU_REGISTRY_PACKAGE_UNSAFE: {
    title: 'Unsafe package.json',
    status: 400,
    hint: 'Remove install scripts and use registry semver ranges only (no git, file, http or link specs).',
  },
  MODU_REGISTRY_INTEGRITY_MISMATCH: {
    title: 'Integrity check failed',
    status: 400,
    hint: 'The archive changed after it was published; do not install it and tell the registry owner.',
  },
  MODU_REGISTRY_ARCHIVE_WRONG_PLUGIN: {
    title: 'Archive holds another plugin version',
    status: 400,
    hint: "The archive's plugin.yaml names another name@version than the registry records; republish it with `modu publish`.",
  },
  MODU_REGISTRY_SIGNATURE_MISSING: {
    title: 'Signature required',
    status: 400,
    hint: 'Publish the plugin with a signing key trusted by this host, or drop requireSignatures.',
  },
  MODU_REGISTRY_SIGNATURE_INVALID: {
    title: 'Signature invalid',
    status: 400,
    hint: "The signature does not match the archive or the key is not trusted; check the host's trustedKeys.",
  },

  // install
  MODU_REGISTRY_DEPENDENCY_CONFLICT: {
    title: 'Dependency conflict',
    status: 409,
    hint: 'Two plugins need versions of one plugin that no single version satisfies; align their ranges.',
  },
  MODU_REGISTRY_UNINSTALL_DEPENDENT: {
    title: 'Plugin is needed by another',
    status: 409,
    hint: 'Uninstall the dependents first, or pass --force.',
  },
  MODU_REGISTRY_NOT_INSTALLED: {
    title: 'Plugin not installed',
    status: 404,
    hint: 'Check the plugins folder (--plugins) and the name.',
  },
  MODU_REGISTRY_LOCKFILE_INVALID: {
    title: 'Invalid modu-lock.yaml',
    status: 400,
    hint: 'Fix the field shown, or delete modu-lock.yaml and install again.',
  },

  // HTTP
  MODU_REGISTRY_UNAUTHORIZED: {
    title: 'Token missing or wrong',
    status: 401,
    hint: 'Send `Authorization: Bearer <token>` with a token the registry server was started with.',
  },
  MODU_REGISTRY_RATE_LIMITED: {
    title: 'Too many requests',
    status: 429,
    hint: 'Wait for the number of seconds in Retry-After, then retry.',
  },
  MODU_REGISTRY_UPLOAD_TOO_LARGE: {
    title: 'Upload too large',
    status: 413,
    hint: 'Shrink the archive or raise the server upload limit (--max-upload).',
  },
  MODU_REGISTRY_HTTP_FAILED: {
    title: 'Registry server unreachable or answered badly',
    status: 502,
    hint: 'Check the registry URL and that the server is running.',
  },

  // PostgreSQL storage
  MODU_REGISTRY_DB_UNAVAILABLE: {
    title: 'Registry database unreachable',
    status: 503,
    hint: 'Check the postgres:// address (host, port, database, user) and that the PostgreSQL server is running.',
  },
  MODU_REGISTRY_DB_FAILED: {
    title: 'Registry database query failed',
    status: 500,
    hint: 'Read the cause; check that the database user may create and change the modu_* tables.',
  },
  MODU_REGISTRY_DB_SCHEMA_NEWER: {
    title: 'Registry database schema is newer than this Modu',
    status: 500,
    hint: 'Another server has migrated this database to a newer schema; upgrade Modu here.',
  },
  MODU_REGISTRY_MIGRATE_CONFLICT: {
    title: 'Version differs between the two registries',
    status: 409,
    hint: 'The target already holds this version with other bytes; published versions never change, so settle it by hand.',
  },

  // channels
  MODU_REGISTRY_CHANNEL_NAME_INVALID: {
    title: 'Invalid channel name',
    status: 400,
    hint: "A channel name is lowercase a-z 0-9 '-', starting with a letter, at most 64 characters.",
  },
  MODU_REGISTRY_CHANNEL_NOT_FOUND: {
    title: 'Channel or revision not found',
    status: 404,
    hint: 'List channels with `modu channel list` and revisions with `modu channel history <channel>`; deploy to create one.',
  },
  MODU_REGISTRY_CHANNEL_NO_PREVIOUS: {
    title: 'No earlier revision to roll back to',
    status: 409,
    hint: 'The channel has a single revision; deploy another before rolling back, or name the revision with --to.',
  },
  MODU_REGISTRY_CHANNEL_UNSUPPORTED: {
    title: 'The registry server answers no channel routes',
    status: 400,
    hint: 'Upgrade the `modu registry serve` behind this URL to a Modu with channels, or pass --registry with the folder or postgres:// address it serves.',
  },
});

declare module '../kernel/errors/modu-error.js' {
  interface ErrorCodes extends Record<keyof typeof registryErrors, true> {}
}
