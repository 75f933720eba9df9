import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import '../cli/errors.js';
import { errorCatalogue, ModuError } from '../kernel/index.js';
import '../registry/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** Every `| MODU_X | status | ...` row of docs/errors.md. */
async function documentedCodes(): Promise<Map<string, number>> {
  const text = await readFile(join(root, 'docs', 'errors.md'), 'utf8');
  const rows = [...text.matchAll(/^\|\s*(MODU_[A-Z0-9_]+)\s*\|\s*(\d{3})\s*\|/gm)];
  return new Map(rows.map((m) => [m[1] as string, Number(m[2])]));
}

/** The source files of the areas (not tests or fixtures), with their text. */
async function sourceFiles(): Promise<Array<{ name: string; text: string }>> {
  const files: Array<{ name: string; text: string }> = [];
  for (const area of ['kernel', 'adapters', 'registry', 'testing', 'cli']) {
    const entries = await readdir(join(root, area), { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      files.push({ name: entry.name, text: await readFile(join(entry.parentPath, entry.name), 'utf8') });
    }
  }
  return files;
}

/** Every code passed to `new ModuError('MODU_X', …)` in the source areas. */
async function codesUsedInSource(): Promise<Set<string>> {
  const used = new Set<string>();
  for (const { text } of await sourceFiles()) {
    for (const match of text.matchAll(/ModuError\(\s*'(MODU_[A-Z0-9_]+)'/g)) used.add(match[1] as string);
  }
  return used;
}

/** Every 'MODU_X' string literal outside the catalogues: codes thrown, answered or compared. */
async function codesMentionedInSource(): Promise<Set<string>> {
  const mentioned = new Set<string>();
  for (const { name, text } of await sourceFiles()) {
    if (name.endsWith('errors.ts')) continue;
    for (const match of text.matchAll(/['"](MODU_[A-Z0-9_]+)['"]/g)) mentioned.add(match[1] as string);
  }
  return mentioned;
}

describe('error catalogue', () => {
  it('lists in docs/errors.md exactly the codes the catalogues define, with their statuses', async () => {
    const documented = await documentedCodes();
    const defined = new Map(errorCatalogue().map(([code, spec]) => [code, spec.status]));
    expect([...documented.entries()].sort()).to.deep.equal([...defined.entries()].sort());
  });

  it('defines every code the source throws', async () => {
    const defined = new Set(errorCatalogue().map(([code]) => code));
    const used = await codesUsedInSource();
    expect(used.size).to.be.greaterThan(10);
    expect([...used].filter((code) => !defined.has(code))).to.deep.equal([]);
  });

  it('defines only codes the source uses', async () => {
    const used = await codesMentionedInSource();
    const unused = errorCatalogue()
      .map(([code]) => code)
      .filter((code) => !used.has(code));
    expect(unused).to.deep.equal([]);
  });

  it('gives every code a title, a hint and an HTTP status', () => {
    for (const [code, spec] of errorCatalogue()) {
      expect(code).to.match(/^MODU_[A-Z]+_[A-Z0-9_]+$/);
      expect(spec.title, code).to.not.equal('');
      expect(spec.hint, code).to.match(/\.$/);
      expect(spec.status, code).to.be.within(400, 599);
    }
  });

  it('recognises a ModuError by its brand, across copies of the class', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('modu.error')]: true });
    expect(ModuError.is(foreign)).to.equal(true);
    expect(ModuError.is(new Error('x'))).to.equal(false);
    expect(new ModuError('MODU_GRAPH_CYCLE', 'a -> a').hint).to.contain('Break the cycle');
  });
});
