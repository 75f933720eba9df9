import type { ScaffoldFiles } from './write-scaffold.js';

/** What a scaffolded plugin is called and where its parts go, relative to the host app's root. */
export interface PluginScaffold {
  readonly name: string;
  /** The plugins folder, relative to the app root (`plugins`). */
  readonly dir: string;
}

/** The folder name of a plugin: `@acme/billing` lives in `@acme/billing`, like npm. */
const folderOf = (s: PluginScaffold) => `${s.dir}/${s.name}`;
/** The file-name form of a plugin name: `@acme/billing` → `acme-billing`. */
export const fileStem = (name: string) => name.replace(/^@/, '').replace('/', '-');

function manifest(s: PluginScaffold, main: string): string {
  return `name: ${s.name}
version: 0.1.0
description: The ${s.name} plugin
main: ${main}
kernel: ^1.0.0
config:
  type: object
  properties:
    greeting: { type: string, default: Hello }
`;
}

function test(s: PluginScaffold): string {
  return `// Runs the plugin in a real kernel, without a server: npm test (node --test).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createTestKernel } from 'modu/testing';

let kernel;
before(async () => {
  kernel = await createTestKernel({ plugins: '${s.dir}', config: { '${s.name}': { greeting: 'Hi' } } });
});
after(() => kernel.stop());

test('${s.name} greets by name', async () => {
  const res = await kernel.inject({ url: '/${s.name}/ada' });
  assert.equal(res.status, 200);
  assert.deepEqual(res.json(), { message: 'Hi, ada' });
});

test('${s.name} refuses a name that is too long', async () => {
  const res = await kernel.inject({ url: '/${s.name}/${'x'.repeat(41)}' });
  assert.equal(res.status, 400);
});
`;
}

const jsCode = `import { definePlugin, reply } from 'modu';

export default definePlugin({
  services: {
    Greeter: { factory: ({ config }) => ({ greet: (name) => \`\${config.greeting}, \${name}\` }) },
  },
  routes: [
    {
      method: 'GET',
      path: '/:name',
      handler: (ctx) =>
        ctx.params.name.length > 40
          ? reply(400, { title: 'name too long' })
          : { message: ctx.use('Greeter').greet(ctx.params.name) },
    },
  ],
  onStart({ logger, config }) {
    logger.info({ greeting: config.greeting }, 'ready');
  },
});
`;

const tsCode = `import { Controller, definePlugin, Get, inject, type RequestContext, reply, Service } from 'modu';

interface Config {
  readonly greeting: string;
}

@Service('Greeter')
export class Greeter {
  greet(greeting: string, name: string): string {
    return \`\${greeting}, \${name}\`;
  }
}

@Controller('/')
export class GreetingController {
  constructor(@inject('Greeter') private readonly greeter: Greeter) {}

  @Get('/:name')
  greet(ctx: RequestContext<Config>) {
    const name = ctx.params.name ?? '';
    if (name.length > 40) return reply(400, { title: 'name too long' });
    return { message: this.greeter.greet(ctx.config.greeting, name) };
  }
}

export default definePlugin<Config>()({
  services: [Greeter],
  controllers: [GreetingController],
  onStart({ logger, config }) {
    logger.info({ greeting: config.greeting }, 'ready');
  },
});
`;

/** A plain-JavaScript plugin (no build step) and its test, outside the plugin folder (every file in it is scanned). */
export function jsPlugin(s: PluginScaffold): ScaffoldFiles {
  return {
    [`${folderOf(s)}/plugin.yaml`]: manifest(s, 'index.js'),
    [`${folderOf(s)}/index.js`]: jsCode,
    [`test/${fileStem(s.name)}.test.js`]: test(s),
  };
}

/**
 * A TypeScript plugin: sources in `src/<name>/` with their tsconfig (decorator metadata on), built by tsc into the
 * plugin folder, which holds only plugin.yaml and the JavaScript that runs (the scanner refuses TypeScript there).
 */
export function tsPlugin(s: PluginScaffold): ScaffoldFiles {
  const depth = 1 + s.name.split('/').length;
  const back = '../'.repeat(depth);
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      rootDir: '.',
      outDir: `${back}${folderOf(s)}`,
      strict: true,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      skipLibCheck: true,
      sourceMap: false,
    },
    include: ['*.ts'],
  };
  return {
    [`${folderOf(s)}/plugin.yaml`]: manifest(s, 'index.js'),
    [`src/${s.name}/index.ts`]: tsCode,
    [`src/${s.name}/tsconfig.json`]: `${JSON.stringify(tsconfig, null, 2)}\n`,
    [`test/${fileStem(s.name)}.test.js`]: test(s),
  };
}
