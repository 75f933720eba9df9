import { defineErrors } from './catalogue.js';

/** Every error code the kernel throws. `docs/errors.md` lists the same codes; a test keeps them equal. */
export const kernelErrors = defineErrors({
  // files and inputs
  MODU_FILE_MISSING: {
    title: 'File not found',
    status: 400,
    hint: 'Check the path; it is resolved from the current folder.',
  },
  MODU_FILE_UNREADABLE: { title: 'File unreadable', status: 500, hint: 'Check the file permissions.' },
  MODU_YAML_INVALID: { title: 'Invalid YAML', status: 400, hint: 'Fix the YAML syntax at the line shown.' },

  // manifest
  MODU_MANIFEST_INVALID: {
    title: 'Invalid plugin manifest',
    status: 400,
    hint: 'Fix each field listed in plugin.yaml; the README lists every field.',
  },
  MODU_MANIFEST_KERNEL_MISMATCH: {
    title: 'Plugin needs another kernel',
    status: 400,
    hint: "Widen the plugin's `kernel` range or run a Modu version inside it.",
  },
  MODU_MANIFEST_MAIN_MISSING: {
    title: 'Entry module missing',
    status: 400,
    hint: 'Point `main` in plugin.yaml at a .js, .mjs or .cjs file inside the plugin folder (build it first if it is TypeScript).',
  },

  // discovery
  MODU_DISCOVERY_ROOT_MISSING: {
    title: 'Plugins folder missing',
    status: 400,
    hint: 'Create the folder or point --plugins (or `pluginDirs` in modu.yaml) at an existing one.',
  },
  MODU_DISCOVERY_NOT_A_PLUGIN: {
    title: 'Not a plugin folder',
    status: 400,
    hint: 'Add a plugin.yaml to the folder, or move the folder out of the plugins folder.',
  },
  MODU_DISCOVERY_DUPLICATE_NAME: {
    title: 'Two plugins share a name',
    status: 400,
    hint: 'Rename one of them or remove the stale copy; names are unique in a host.',
  },

  // graph
  MODU_GRAPH_MISSING_DEPENDENCY: {
    title: 'Missing dependency',
    status: 400,
    hint: 'Install the missing plugin (modu install <name>) or remove it from `dependencies`.',
  },
  MODU_GRAPH_VERSION_MISMATCH: {
    title: 'Dependency version mismatch',
    status: 400,
    hint: 'Install a version inside the range, or widen the range in plugin.yaml.',
  },
  MODU_GRAPH_CYCLE: {
    title: 'Dependency cycle',
    status: 400,
    hint: 'Break the cycle: move the shared part into a plugin both can depend on.',
  },
  MODU_GRAPH_DEPENDENCY_FAILED: {
    title: 'Skipped: a dependency failed',
    status: 503,
    hint: 'Fix the failed dependency named in the reason; this plugin then loads with it.',
  },

  // loader and container
  MODU_LOADER_IMPORT_FAILED: {
    title: 'Plugin code failed to import',
    status: 500,
    hint: "Run the plugin's entry module with node to see the error, and fix it.",
  },
  MODU_LOADER_NO_DEFINITION: {
    title: 'No plugin definition',
    status: 500,
    hint: 'Make the entry module `export default definePlugin({...})`.',
  },
  MODU_LOADER_DEFINITION_INVALID: {
    title: 'Invalid plugin definition',
    status: 500,
    hint: 'Fix the definePlugin({...}) value as the message says.',
  },
  MODU_LOADER_EXPORT_MISSING: {
    title: 'Exported name not defined',
    status: 500,
    hint: 'Define every service and guard listed under `exports` in plugin.yaml, or remove it from the list.',
  },
  MODU_CONTAINER_CONFLICT: {
    title: 'Name already owned',
    status: 409,
    hint: 'Two plugins claim the same token, guard or route; rename one of them.',
  },
  MODU_CONTAINER_NOT_VISIBLE: {
    title: 'Service not visible',
    status: 500,
    hint: "Declare the owner under `dependencies` in plugin.yaml and list the service under the owner's `exports.services`.",
  },
  MODU_CONTAINER_RESOLVE_FAILED: {
    title: 'Service could not be built',
    status: 500,
    hint: 'Check the constructor parameters and @inject tokens of the service named.',
  },
  MODU_LOADER_NOT_LOADED: {
    title: 'Plugin not loaded',
    status: 404,
    hint: 'Check the name with `modu graph` or GET /_modu/plugins.',
  },
  MODU_LOADER_BUSY: {
    title: 'Plugin busy',
    status: 409,
    hint: 'Another load, unload or reload of this plugin is running; retry when it ends.',
  },

  // lifecycle
  MODU_LIFECYCLE_TIMEOUT: {
    title: 'Lifecycle hook timed out',
    status: 500,
    hint: 'Make the hook finish sooner, honour its AbortSignal, or raise its timeout in modu.yaml.',
  },
  MODU_LIFECYCLE_HOOK_FAILED: {
    title: 'Lifecycle hook failed',
    status: 500,
    hint: 'See the cause; the plugin is marked failed and its dependents skipped.',
  },
  MODU_KERNEL_REQUIRED_FAILED: {
    title: 'A required plugin failed',
    status: 500,
    hint: 'Fix the required plugin named, or drop `required` for it in modu.yaml.',
  },
  MODU_KERNEL_STOP_FAILED: {
    title: 'Stop finished with errors',
    status: 500,
    hint: 'Each plugin that failed to stop is listed with its error.',
  },

  // host config
  MODU_CONFIG_INVALID: {
    title: 'Invalid configuration',
    status: 400,
    hint: 'Fix each field listed, in modu.yaml or in the MODU_* environment variable named.',
  },
  MODU_CONFIG_SCHEMA_INVALID: {
    title: 'Invalid config schema',
    status: 400,
    hint: 'Fix the `config` JSON Schema in plugin.yaml.',
  },
  // security: scanner, capabilities, module gate
  MODU_PERMISSION_DENIED: {
    title: 'Capability denied',
    status: 403,
    hint: 'Add the capability to `permissions` in plugin.yaml and grant it in modu.yaml under `plugins.<name>.grants`, or remove the code that needs it.',
  },
  MODU_PERMISSION_UNKNOWN: {
    title: 'Unknown capability',
    status: 400,
    hint: 'List only catalogue capabilities in `permissions`: node:<builtin>, network, env, dynamic-code or native.',
  },
  MODU_LOADER_NOT_ADMITTED: {
    title: 'Plugin code not admitted',
    status: 500,
    hint: 'Call moduleGate().admit() with the plugin root before importing its entry; this is a bug in the loader.',
  },
  MODU_SCAN_ARCHIVE_UNSAFE: {
    title: 'Unsafe plugin archive',
    status: 400,
    hint: 'Pack the plugin again with `modu pack`; archives may hold only plain files and folders inside one root.',
  },
});
