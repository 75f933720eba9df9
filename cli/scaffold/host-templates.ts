import { KERNEL_VERSION } from '../../kernel/index.js';
import { jsPlugin } from './plugin-templates.js';
import type { ScaffoldFiles } from './write-scaffold.js';

/** Options of {@link hostApp}. */
export interface HostScaffold {
  /** The app's package name. */
  readonly name: string;
  /** The dependency spec for modu: a version range, or `file:` a local checkout or tarball. */
  readonly moduSpec?: string;
}

/** The version range a new app depends on: this Modu's major. */
export const defaultModuSpec = () => `^${KERNEL_VERSION.split('.')[0]}.0.0`;

function packageJson(app: HostScaffold): string {
  const pkg = {
    name: app.name,
    version: '0.1.0',
    private: true,
    type: 'module',
    scripts: { start: 'modu start', test: 'node --test' },
    dependencies: { modu: app.moduSpec ?? defaultModuSpec() },
  };
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

const moduYaml = `# The host: which plugins folder to serve, on which framework and port, and each plugin's config and grants.
pluginDirs: [plugins]
adapter: express
host: 127.0.0.1
port: 3000
plugins:
  hello:
    config:
      greeting: Hello
`;

const gitignore = `node_modules/
.modu/
`;

/** A host app: package.json, modu.yaml, a plugins folder with the `hello` plugin, and its test. */
export function hostApp(app: HostScaffold): ScaffoldFiles {
  return {
    'package.json': packageJson(app),
    'modu.yaml': moduYaml,
    '.gitignore': gitignore,
    ...jsPlugin({ name: 'hello', dir: 'plugins' }),
  };
}
