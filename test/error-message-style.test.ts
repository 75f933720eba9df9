import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Node, parse } from 'acorn';
import { simple } from 'acorn-walk';
import { expect } from 'chai';

const dist = fileURLToPath(new URL('../', import.meta.url));

interface Site {
  readonly where: string;
  readonly first: string;
  readonly next: string;
  readonly last: string;
  readonly beforeLast: string;
}

type Literal = Node & { type: 'Literal'; value: unknown };
type Template = Node & { type: 'TemplateLiteral'; quasis: Array<{ value: { cooked: string } }> };
type New = Node & { callee: { type: string; name?: string }; arguments: Node[] };

/** The text parts of a message argument, or undefined when it is computed (a variable, a cause's message). */
function parts(arg: Node | undefined): string[] | undefined {
  if (arg?.type === 'Literal' && typeof (arg as Literal).value === 'string') return [(arg as Literal).value as string];
  if (arg?.type === 'TemplateLiteral') return (arg as Template).quasis.map((q) => q.value.cooked);
  return undefined;
}

/** Every `new ModuError(code, message)` whose message is a string or template literal, in the built areas. */
async function messageSites(): Promise<{ sites: Site[]; computed: number }> {
  const sites: Site[] = [];
  let computed = 0;
  for (const area of ['kernel', 'registry', 'cli', 'adapters', 'testing']) {
    for (const entry of await readdir(join(dist, area), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
      const file = join(entry.parentPath, entry.name);
      const code = await readFile(file, 'utf8');
      simple(parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true }), {
        NewExpression(node) {
          const call = node as New;
          if (call.callee.type !== 'Identifier' || call.callee.name !== 'ModuError') return;
          const text = parts(call.arguments[1]);
          if (text === undefined) {
            computed++;
            return;
          }
          const where = `${relative(dist, file)}:${call.loc?.start.line}`;
          const [first = '', next = ''] = text;
          sites.push({ where, first, next, last: text.at(-1) ?? '', beforeLast: text.at(-2) ?? '' });
        },
      });
    }
  }
  return { sites, computed };
}

/** Why a site breaks the message style written on ModuError, or undefined when it follows it. */
function breach(site: Site): string | undefined {
  if (site.first === '' && /^:\s/.test(site.next)) return 'starts with a `subject: ` prefix';
  if (site.first !== '' && !/^[A-Z'"]/.test(site.first)) return 'starts with a lowercase word';
  const endsWithCause = site.last === '' && /:\s$/.test(site.beforeLast);
  if (!endsWithCause && !/[.?!]$/.test(site.last)) return 'does not end with a period';
  return undefined;
}

describe('ModuError messages', () => {
  it('follow one style: subject first, a capital letter or the subject to start, a period to end', async () => {
    const { sites, computed } = await messageSites();
    // Sane counts, so the check cannot pass by finding nothing: about 150 literal sites, a few passed-through causes.
    expect(sites.length).to.be.greaterThan(120);
    expect(computed).to.be.lessThan(sites.length / 5);
    const breaches = sites.flatMap((site) => {
      const why = breach(site);
      return why === undefined ? [] : [`${site.where}: ${why}`];
    });
    expect(breaches).to.deep.equal([]);
  });
});
