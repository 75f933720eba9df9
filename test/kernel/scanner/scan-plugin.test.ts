import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { type ScanReport, scanPlugin } from '../../../kernel/index.js';
import { scanIndexFile } from '../../../kernel/scanner/scan-index.js';

const JS = /\.(js|mjs|cjs)$/;

/** Every JavaScript file of the malicious corpus, keyed `<technique>/<path>`: many files, many findings. */
async function maliciousSources(): Promise<Record<string, string>> {
  const corpus = fileURLToPath(new URL('../../../../fixtures/malicious/', import.meta.url));
  const files: Record<string, string> = {};
  for (const entry of await readdir(corpus, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !JS.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    files[path.slice(corpus.length)] = await readFile(path, 'utf8');
  }
  return files;
}

describe('scanPlugin()', () => {
  const roots: string[] = [];
  after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

  async function folder(files: Record<string, string>): Promise<string> {
    const root = await mkdtemp(join(tmpdir(), 'modu-scan-'));
    roots.push(root);
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, name)), { recursive: true });
      await writeFile(join(root, name), text);
    }
    return root;
  }

  describe('when a plugin has several files', () => {
    it('reports findings with plugin-relative paths and the sorted capabilities', async () => {
      const root = await folder({
        'index.js': "import './lib/io.js';\nexport default { home: process.env.HOME };\n",
        'lib/io.js': "import { readFile } from 'node:fs/promises';\nexport { readFile };\n",
        'node_modules/dep/index.js': "module.exports = require('net');\n",
        'README.md': "require('child_process')",
      });
      const report = await scanPlugin(root);
      expect(report.files).to.equal(3);
      expect(report.capabilities).to.deep.equal(['env', 'node:fs', 'node:net']);
      const where = report.findings.map((f) => `${f.file}:${f.line}:${f.column} ${f.rule}`);
      expect(where).to.deep.equal([
        'index.js:2:24 process-env',
        'lib/io.js:1:26 import-builtin',
        'node_modules/dep/index.js:1:18 import-builtin',
      ]);
      expect(report.contentHash).to.match(/^[0-9a-f]{64}$/);
    });
  });

  describe('when a plugin ships what cannot be scanned', () => {
    it('rejects native addons and symlinks without following them, and leaves TypeScript sources unread', async () => {
      const root = await folder({ 'index.js': '', 'src/index.ts': 'export const a: number = 1;', 'a.node': 'x' });
      await writeFile(join(root, 'types.d.ts'), 'export {};');
      await symlink('/etc/passwd', join(root, 'passwd.js'));
      const report = await scanPlugin(root);
      const byRule = Object.fromEntries(report.findings.map((f) => [f.rule, f]));
      expect(Object.keys(byRule).sort()).to.deep.equal(['native-addon', 'symlink']);
      expect(byRule['native-addon']?.capability).to.equal('native');
      expect(byRule.symlink?.file).to.equal('passwd.js');
      expect(Object.keys(report.approved ?? {}).sort()).to.deep.equal(['a.node', 'index.js']);
    });

    it('reports files and plugins over the size limits without reading them', async () => {
      const root = await folder({ 'a.js': 'x'.repeat(2000), 'b.js': '1;', 'c.js': '2;'.repeat(300) });
      const report = await scanPlugin(root, { limits: { maxFileBytes: 1000, maxPluginBytes: 500 } });
      expect(report.findings.map((f) => `${f.file} ${f.rule}`)).to.deep.equal([
        'a.js file-too-large',
        '. plugin-too-large',
      ]);
      expect(report.files).to.equal(0);
      expect(report.approved).to.deep.equal({});
    });
  });

  describe('when the plugin exceeds its entry count or time budget', () => {
    it('stops with a finding instead of running on', async () => {
      const root = await folder({ 'a.js': '1;', 'b.js': '2;', 'c.js': '3;' });
      const crowded = await scanPlugin(root, { limits: { maxEntries: 2 } });
      expect(crowded.findings.map((f) => f.rule)).to.include('plugin-too-large');
      const slow = await scanPlugin(root, { limits: { pluginTimeMs: 0 } });
      expect(slow.findings.map((f) => `${f.file} ${f.rule}`)).to.deep.equal(['a.js scan-timeout']);
    });
  });

  describe('when a plugin is scanned on worker threads', () => {
    it('reports exactly what a scan in this thread reports, in the same order', async () => {
      const root = await folder(await maliciousSources());
      const inThread = await scanPlugin(root, { parallelFromBytes: Number.POSITIVE_INFINITY });
      const threaded = await scanPlugin(root, { parallelFromBytes: 0 });
      expect(inThread.files).to.be.above(60);
      expect(inThread.findings.length).to.be.above(60);
      expect(threaded).to.deep.equal(inThread);
    });

    it('keeps the plugin time budget', async () => {
      const root = await folder({ 'a.js': '1;', 'b.js': '2;', 'c.js': '3;' });
      const slow = await scanPlugin(root, { limits: { pluginTimeMs: 0 }, parallelFromBytes: 0 });
      expect(slow.findings.map((f) => `${f.file} ${f.rule}`)).to.deep.equal(['a.js scan-timeout']);
    });

    it('does not keep the process alive once the scan is done', async () => {
      const root = await folder({ 'a.js': "require('fs');", 'b.js': 'eval(1);' });
      const kernel = new URL('../../../kernel/index.js', import.meta.url).href;
      const script = [
        `const { scanPlugin } = await import(${JSON.stringify(kernel)});`,
        `const report = await scanPlugin(${JSON.stringify(root)}, { parallelFromBytes: 0 });`,
        "console.log(report.findings.map((f) => f.rule).join(' '));",
      ].join('\n');
      // The pool's workers idle for 10 s before they exit: a process they kept alive would run past the timeout.
      const started = performance.now();
      const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        timeout: 8_000,
      });
      expect(run.stdout.trim()).to.equal('import-builtin eval');
      expect(performance.now() - started).to.be.below(8_000);
    });
  });

  describe('when the folder does not exist', () => {
    it('throws MODU_FILE_MISSING', async () => {
      const error = await scanPlugin(join(tmpdir(), 'modu-no-such-plugin')).catch((caught: unknown) => caught);
      expect(error).to.have.property('code', 'MODU_FILE_MISSING');
    });
  });

  describe('when given a cache folder', () => {
    const kernel = new URL('../../../kernel/index.js', import.meta.url).href;
    /** Scans in a fresh process, which reads the cache from disk as a restarted host does. */
    async function scanInChild(root: string, cacheDir: string): Promise<ScanReport> {
      const script = [
        `const { scanPlugin } = await import(${JSON.stringify(kernel)});`,
        `const report = await scanPlugin(${JSON.stringify(root)}, { cacheDir: ${JSON.stringify(cacheDir)} });`,
        'console.log(JSON.stringify(report));',
      ].join('\n');
      const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
      return JSON.parse(run.stdout) as ScanReport;
    }

    async function cacheFolder(): Promise<string> {
      const cacheDir = await mkdtemp(join(tmpdir(), 'modu-scan-cache-'));
      roots.push(cacheDir);
      return cacheDir;
    }

    it('stores the report under the content hash, reuses it across restarts, and rescans changed code', async () => {
      const root = await folder({ 'index.js': "require('fs');\n" });
      const cacheDir = await cacheFolder();
      const first = await scanPlugin(root, { cacheDir });
      expect(first.fromCache).to.equal(undefined);
      const index = JSON.parse(await readFile(scanIndexFile(cacheDir, root), 'utf8'));
      expect(index.reports[first.contentHash].capabilities).to.deep.equal(['node:fs']);
      const second = await scanInChild(root, cacheDir);
      expect(second.fromCache).to.equal(true);
      expect(second.findings).to.deep.equal(first.findings);

      await writeFile(join(root, 'index.js'), "require('net');\n");
      const changed = await scanPlugin(root, { cacheDir });
      expect(changed.contentHash).to.not.equal(first.contentHash);
      expect(changed.capabilities).to.deep.equal(['node:net']);
    });

    it('starts afresh from a corrupt cache, and rewrites it', async () => {
      const root = await folder({ 'index.js': "require('fs');\n" });
      const cacheDir = await cacheFolder();
      await writeFile(scanIndexFile(cacheDir, root), '{ not json');
      const report = await scanInChild(root, cacheDir);
      expect(report.fromCache).to.equal(undefined);
      const index = JSON.parse(await readFile(scanIndexFile(cacheDir, root), 'utf8'));
      expect(index.reports[report.contentHash].capabilities).to.deep.equal(['node:fs']);
    });

    it('does not read a file again while its size, times and inode are the ones it was read with', async () => {
      // Two plugins whose listings match (same names and sizes) and whose code differs.
      const fs = await folder({ 'index.js': "require('fs');\n" });
      const vm = await folder({ 'index.js': "require('vm');\n" });
      // A file is remembered only once it has not changed for 2 s (file times have a coarse clock).
      await new Promise((resolveWait) => setTimeout(resolveWait, 2_100));
      const cacheDir = await cacheFolder();
      await scanPlugin(fs, { cacheDir });
      const vmReport = await scanPlugin(vm, { cacheDir });
      // Point the fs plugin's file at the vm plugin's text: only a scan that does not read it can be fooled.
      const file = scanIndexFile(cacheDir, fs);
      const index = JSON.parse(await readFile(file, 'utf8'));
      index.files[join(fs, 'index.js')][4] = index.files[join(vm, 'index.js')][4];
      await writeFile(file, JSON.stringify(index));
      const unread = await scanInChild(fs, cacheDir);
      expect(unread.fromCache).to.equal(true);
      expect(unread.capabilities).to.deep.equal(vmReport.capabilities).and.deep.equal(['node:vm']);
      // Touching the file changes its ctime: it is read again, and its own report comes back.
      await writeFile(join(fs, 'index.js'), "require('fs');\n");
      expect((await scanInChild(fs, cacheDir)).capabilities).to.deep.equal(['node:fs']);
    });
  });

  describe('when the input is adversarial', () => {
    it('reports a 1 MB deeply nested file as a finding instead of crashing', async () => {
      const depth = 500_000;
      const root = await folder({ 'index.js': `${'['.repeat(depth)}${']'.repeat(depth)}` });
      const report = await scanPlugin(root);
      expect(report.findings.map((f) => f.rule)).to.deep.equal(['too-complex']);
    });
  });
});
