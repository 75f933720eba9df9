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
  MODU_LOADER_EXPORT_REQUEST_SCOPED: {
    title: 'Request-scoped service exported',
    status: 500,
    hint: 'Export a singleton or transient service (a factory that takes what it needs as arguments), or stop exporting it.',
  },
  MODU_CONTAINER_CONFLICT: {
    title: 'Name already owned',
    status: 409,
    hint: 'Two plugins claim the same service token; rename one of them.',
  },
  MODU_CONTAINER_DOUBLE_UNKNOWN: {
    title: 'Test double for no import',
    status: 500,
    hint: 'Name a service the plugin imports from a dependency (`<dependency>/<Service>`, listed in its exports).',
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
    hint: 'Check its state with GET /_modu/plugins; bring it back with `load(name)` or POST /_modu/plugins/<name>/load.',
  },
  MODU_LOADER_PLUGIN_NOT_FOUND: {
    title: 'No such plugin',
    status: 404,
    hint: 'Check the name with `modu graph`: a plugin is a folder holding a plugin.yaml in one of the plugin folders.',
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
  MODU_LIFECYCLE_TRANSITION_INVALID: {
    title: 'Impossible plugin state change',
    status: 500,
    hint: 'A kernel step tried a state change the transition table forbids; report it with the states named.',
  },
  MODU_LIFECYCLE_RELOAD_FAILED: {
    title: 'Reload failed',
    status: 500,
    hint: 'The previous generation keeps serving; fix the cause shown and reload again.',
  },
  MODU_LIFECYCLE_REQUIRED: {
    title: 'Required plugin',
    status: 409,
    hint: 'A plugin marked `required` in modu.yaml cannot be unloaded over HTTP; reload it, or drop `required`.',
  },
  MODU_TESTING_BOOT_FAILED: {
    title: 'A plugin under test did not start',
    status: 500,
    hint: 'Read each plugin line: fix its phase and code, or pass `allowFailures: true` to test the failure itself.',
  },
  MODU_KERNEL_REQUIRED_FAILED: {
    title: 'A required plugin failed',
    status: 500,
    hint: 'Fix the required plugin named, or drop `required` for it in modu.yaml.',
  },
  MODU_KERNEL_ALREADY_STARTED: {
    title: 'Kernel already started',
    status: 409,
    hint: 'Call stop() before start() again; use reload(name) or load(name) for single plugins.',
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
  MODU_SCAN_SYNTAX_ERROR: {
    title: 'Plugin code does not parse',
    status: 400,
    hint: 'Fix the syntax error at the file, line and column shown; the message names the goal (ES module or CommonJS script) Node uses for the file, from its extension and the nearest package.json `type`.',
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
  // http: route table and dispatch
  MODU_HTTP_NOT_FOUND: {
    title: 'Not found',
    status: 404,
    hint: 'Check the method and path; GET /_modu/plugins lists the mounted plugins.',
  },
  MODU_HTTP_METHOD_NOT_ALLOWED: {
    title: 'Method not allowed',
    status: 405,
    hint: 'Use one of the methods listed in the Allow header.',
  },
  MODU_HTTP_BODY_TOO_LARGE: {
    title: 'Request body too large',
    status: 413,
    hint: 'Send a smaller body, or raise bodyLimitBytes in the host options.',
  },
  MODU_HTTP_BAD_JSON: {
    title: 'Malformed JSON body',
    status: 400,
    hint: 'Send a valid JSON document with Content-Type: application/json.',
  },
  MODU_HTTP_UNSUPPORTED_MEDIA_TYPE: {
    title: 'Unsupported media type',
    status: 415,
    hint: 'Plugin routes accept JSON bodies only: send Content-Type: application/json.',
  },
  MODU_HTTP_HANDLER_FAILED: {
    title: 'Internal server error',
    status: 500,
    hint: "The route's handler threw; the host log has the error with the plugin name.",
  },
  MODU_HTTP_ALREADY_MOUNTED: {
    title: 'Plugin mounted twice',
    status: 500,
    hint: "A plugin's routes were mounted while a generation of it was mounted; retire that generation first.",
  },
  MODU_HTTP_NOT_MOUNTED: {
    title: 'Plugin has no routes mounted',
    status: 500,
    hint: 'Mount (or stage and swap in) the plugin before activating or retiring its routes.',
  },
  MODU_HTTP_ROUTE_CONFLICT: {
    title: 'Route already owned',
    status: 409,
    hint: "Two plugins' prefixes overlap (equal, nested, or the host endpoints one) or two routes share method and path; change one.",
  },
  MODU_HTTP_ROUTE_INVALID: {
    title: 'Invalid route',
    status: 500,
    hint: 'Give every route a method, a path starting with / and a handler function.',
  },
  MODU_HTTP_ADMIN_DISABLED: {
    title: 'Admin endpoints disabled',
    status: 403,
    hint: 'Configure an adminToken for the host, then send Authorization: Bearer <adminToken>.',
  },
  MODU_HTTP_ADMIN_TOKEN_INVALID: {
    title: 'Admin token missing or wrong',
    status: 401,
    hint: 'Send Authorization: Bearer <adminToken> with the token configured for the host.',
  },
  MODU_PLUGIN_UNAVAILABLE: {
    title: 'Plugin unavailable',
    status: 503,
    hint: 'The plugin owning this route is not started (stopping, reloading or failed); retry shortly.',
  },
  MODU_HTTP_TIMEOUT: {
    title: 'Plugin answered too late',
    status: 504,
    hint: 'The handler ran past limits.requestTimeoutMs and its process was restarted; make it faster or raise the limit.',
  },
  MODU_PLUGIN_CIRCUIT_OPEN: {
    title: 'Plugin circuit open',
    status: 503,
    hint: "The plugin's handlers failed repeatedly; retry after the Retry-After delay and check the host log.",
  },

  // isolation (plugins in their own processes)
  MODU_ISOLATION_START_FAILED: {
    title: 'Plugin process not started',
    status: 500,
    hint: 'See the cause and the process output in the host log; the host needs a Node with the permission model.',
  },
  MODU_ISOLATION_NOT_LOADED: {
    title: 'Message before plugin load',
    status: 500,
    hint: 'The host called the plugin process before its plugin loaded; a bug in Modu, please report it.',
  },
  MODU_ISOLATION_CRASHED: {
    title: 'Plugin process kept crashing',
    status: 500,
    hint: 'It crashed more often than limits.restarts allows; see the cause (exit code, signal, memoryMb), fix it, reload.',
  },
  MODU_ISOLATION_TIMEOUT: {
    title: 'Isolated call timed out',
    status: 504,
    hint: 'A service or guard call ran past limits.callTimeoutMs and the process was restarted; speed it up or raise it.',
  },
  MODU_ISOLATION_REMOTE_ERROR: {
    title: 'Error in another process',
    status: 500,
    hint: 'Code across the process boundary threw a non-ModuError; its message is kept, the rest stays in that process.',
  },
  MODU_ISOLATION_CALL_INVALID: {
    title: 'Isolated call refused',
    status: 500,
    hint: "Call only methods of services the plugin may see: its own, or its declared dependencies' exported ones.",
  },
  MODU_ISOLATION_NOT_CLONEABLE: {
    title: 'Value not cloneable',
    status: 500,
    hint: 'Arguments and results across the process boundary are structured-cloned: pass plain data, not functions.',
  },

  // guards and permissions
  MODU_GUARD_DENIED: {
    title: 'Forbidden by guard',
    status: 403,
    hint: 'A guard on this route refused the request; check the credentials and roles sent.',
  },
  MODU_AUTH_REQUIRED: {
    title: 'Authentication required',
    status: 401,
    hint: 'Send a credential that an authentication guard on this route verifies.',
  },
  MODU_PERMISSION_MISSING: {
    title: 'Permission missing',
    status: 403,
    hint: 'Grant the principal the missing permissions named in the response.',
  },
  MODU_GUARD_UNKNOWN: {
    title: 'Unknown guard',
    status: 500,
    hint: "Define the guard, or fix its name: `<plugin>/<guard>`, or the bare name for the plugin's own guards.",
  },
  MODU_GUARD_NOT_ACCESSIBLE: {
    title: 'Guard not accessible',
    status: 500,
    hint: "List the guard under the owner's `exports.guards` and the owner under this plugin's `dependencies`.",
  },
  MODU_GUARD_CONFLICT: {
    title: 'Guard already owned',
    status: 409,
    hint: 'Two plugins claim the same guard name; rename the guard or one of the plugins.',
  },
  MODU_GUARD_CYCLE: {
    title: 'Guard dependency cycle',
    status: 500,
    hint: 'Remove one `dependsOn` entry on the path shown.',
  },
  MODU_GUARD_INVALID: {
    title: 'Invalid guard',
    status: 500,
    hint: 'Give the guard a canActivate(ctx) function, or a class built by the container that has one.',
  },
  MODU_GUARD_PRINCIPAL_INVALID: {
    title: 'Invalid principal',
    status: 500,
    hint: 'Set ctx.principal only inside a guard, to an object with a string `id` and a `permissions` array of strings.',
  },
});

declare module './modu-error.js' {
  interface ErrorCodes extends Record<keyof typeof kernelErrors, true> {}
}
