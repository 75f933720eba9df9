import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { pluginManifest, pluginsFolder, writePlugin } from '../helpers/fixtures.js';

const bin = fileURLToPath(new URL('../../cli/bin.js', import.meta.url));

// Each line mutates an intrinsic the host shares, in a way the scanner may or may not see.
const mutations = [
  `Reflect.set(Object.getPrototypeOf({}), 'level', 'bogus');`,
  `Object.defineProperty(Object.getPrototypeOf({}), 'to', { value: 'x', enumerable: true, configurable: true });`,
];

describe('modu start when a plugin mutates a shared intrinsic', function () {
  this.timeout(40_000);
  for (const [index, line] of mutations.entries()) {
    it(`keeps serving and exits 0 on SIGTERM (${index + 1}: ${line.slice(0, 40)}…)`, async () => {
      const root = await pluginsFolder();
      await writePlugin(root, 'polluter', {
        'plugin.yaml': pluginManifest('polluter'),
        'index.js': `import { definePlugin } from 'modu';\n${line}\nexport default definePlugin({});`,
      });
      const child = spawn(process.execPath, [bin, 'start', '--plugins', root, '--port', '0'], {
        env: { ...process.env, MODU_LOG_LEVEL: 'silent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(child, 'exit');
      const deadline = Date.now() + 30_000;
      while (!/listening on (http:\/\/\S+)/.test(output) && child.exitCode === null && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      try {
        expect(output, output).to.match(/listening on http/);
        const url = (/listening on (http:\/\/\S+)/.exec(output) as RegExpExecArray)[1] as string;
        expect((await fetch(`${url}/_modu/metrics`)).status).to.equal(200);
        expect([200, 503]).to.include((await fetch(`${url}/_modu/health`)).status);
      } finally {
        if (child.exitCode === null) child.kill('SIGTERM');
      }
      const [code] = await exited;
      expect(code, output).to.equal(0);
    });
  }
});
