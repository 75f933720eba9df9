import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { checkCapabilities, gateDenial, moduleGate, readManifest, scanPlugin } from '../../../kernel/index.js';

/** What a corpus plugin's `expect.json` says about it. */
interface Expectation {
  /** Malicious: the rule that must catch the technique. */
  readonly rule?: string;
  /** Benign: the host grants (the manifest asks for the same). */
  readonly grants?: string[];
  /** Run-time evasion: with these grants it passes the scan, and the gate stops it `at` import or onLoad. */
  readonly runtime?: { readonly grants: string[]; readonly at: 'import' | 'onLoad' };
}

// The source fixtures, not dist/: the copy step drops symbolic links, and one technique is a link.
const fixtures = fileURLToPath(new URL('../../../../fixtures/', import.meta.url));
const corpus = (kind: string) =>
  readdirSync(`${fixtures}${kind}`)
    .sort()
    .map((name) => {
      const root = `${fixtures}${kind}/${name}`;
      return { name, root, expect: JSON.parse(readFileSync(`${root}/expect.json`, 'utf8')) as Expectation };
    });

async function capabilityProblems(root: string, granted: readonly string[]) {
  const pkg = await readManifest(root);
  const report = await scanPlugin(root);
  const requested = pkg.manifest.permissions ?? [];
  return {
    pkg,
    report,
    problems: checkCapabilities({
      plugin: pkg.manifest.name,
      manifestFile: pkg.manifestFile,
      requested,
      granted,
      report,
    }),
  };
}

async function runPlugin(root: string, granted: readonly string[]): Promise<void> {
  const pkg = await readManifest(root);
  const gate = moduleGate();
  await gate.admit({ name: pkg.manifest.name, root: pkg.root, granted });
  await gate.approve(pkg.root, await scanPlugin(pkg.root));
  const namespace = await gate.importEntry(pkg.entry, 1);
  const definition = namespace.default as { onLoad?: () => unknown } | undefined;
  await definition?.onLoad?.();
}

describe('the plugin corpus', () => {
  describe('when a malicious plugin is scanned with no grants', () => {
    const plugins = corpus('malicious');
    it('holds at least 30 techniques', () => expect(plugins.length).to.be.at.least(30));

    for (const plugin of plugins) {
      it(`rejects ${plugin.name} by rule ${plugin.expect.rule}`, async () => {
        const { pkg, report, problems } = await capabilityProblems(plugin.root, []);
        expect(pkg.manifest.name).to.equal(`mal-${plugin.name}`);
        expect(report.findings.map((f) => f.rule)).to.include(plugin.expect.rule);
        expect(problems).to.not.deep.equal([]);
      });
    }
  });

  describe('when a run-time evasion is granted what gets it past the scan', () => {
    for (const plugin of corpus('malicious').filter((p) => p.expect.runtime)) {
      const runtime = plugin.expect.runtime ?? { grants: [], at: 'import' };
      it(`stops ${plugin.name} at ${runtime.at} with MODU_PERMISSION_DENIED`, async () => {
        expect((await capabilityProblems(plugin.root, runtime.grants)).problems).to.deep.equal([]);
        const error = await runPlugin(plugin.root, runtime.grants).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(gateDenial(error)?.code, String(error)).to.equal('MODU_PERMISSION_DENIED');
      });
    }
  });

  describe('when a benign plugin is scanned and loaded with the grants it asks for', () => {
    for (const plugin of corpus('benign')) {
      it(`accepts ${plugin.name}`, async () => {
        const grants = plugin.expect.grants ?? [];
        const { problems } = await capabilityProblems(plugin.root, grants);
        expect(problems).to.deep.equal([]);
        await runPlugin(plugin.root, grants);
      });
    }
  });
});
