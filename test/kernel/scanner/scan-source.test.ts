import { expect } from 'chai';
import { type ScanFinding, scanSource } from '../../../kernel/index.js';

const scan = (code: string, file = 'index.js'): ScanFinding[] => scanSource(code, { file });
const rules = (code: string, file?: string): string[] => scan(code, file).map((f) => f.rule);

describe('scanSource()', () => {
  describe('when code loads a dangerous built-in', () => {
    it('reports import, require and re-export with the capability and position', () => {
      const [finding] = scan("const a = 1;\nconst cp = require('node:child_process');");
      expect(finding).to.include({ rule: 'import-builtin', capability: 'node:child_process', line: 2, column: 12 });
      expect(scan("import { readFile } from 'fs/promises';")[0]?.capability).to.equal('node:fs');
      expect(scan("export * from 'node:net';")[0]?.capability).to.equal('node:net');
    });

    it('folds names built from literals', () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source under test
      for (const name of ["'child' + '_process'", '`child_${"process"}`', "['child', 'process'].join('_')"]) {
        expect(scan(`require(${name})`)[0]?.capability, name).to.equal('node:child_process');
      }
      expect(scan('import(String.fromCharCode(102, 115))')[0]?.capability).to.equal('node:fs');
      expect(scan("require('ssecorp_dlihc'.split('').reverse().join(''))")[0]?.capability).to.equal(
        'node:child_process',
      );
    });
  });

  describe('when the name is computed at run time', () => {
    it('reports computed-require and computed-import', () => {
      expect(rules('require(name)')).to.deep.equal(['computed-require']);
      expect(rules('import(name)')).to.deep.equal(['computed-import']);
    });
  });

  describe('when require is hidden', () => {
    it('reports aliases, call/apply/bind and module.require', () => {
      for (const code of [
        'const r = require;',
        "require.call(null, 'fs')",
        "require.apply(null, ['fs'])",
        'f(require)',
      ]) {
        expect(rules(code), code).to.include('require-alias');
      }
      expect(rules('const { require: r } = module;')).to.include('require-alias');
      expect(rules("globalThis['req' + 'uire']('fs')")).to.include('import-builtin');
    });
  });

  describe('when code reaches dynamic code', () => {
    it('reports eval, the Function constructor and its indirect forms', () => {
      expect(rules("eval('1')")).to.deep.equal(['eval']);
      expect(rules("(0, eval)('1')")).to.deep.equal(['eval']);
      expect(rules("new Function('return 1')")).to.deep.equal(['function-constructor']);
      expect(rules("(() => {}).constructor('return 1')()")).to.deep.equal(['function-constructor']);
      expect(rules('const F = Object.getPrototypeOf(async function () {}).constructor;')).to.deep.equal([
        'function-constructor',
      ]);
      expect(rules('const F = {}.constructor.constructor;')).to.deep.equal(['function-constructor']);
      expect(rules('const { constructor } = () => {};')).to.deep.equal(['function-constructor']);
    });

    it('reports global access built from strings and the global object passed around', () => {
      expect(rules("Reflect.get(globalThis, 'eval')")).to.include('computed-global-access');
      expect(rules('globalThis[key]')).to.deep.equal(['computed-global-access']);
      expect(rules("global['ev' + 'al']('1')")).to.deep.equal(['eval']);
    });

    it('reports WebAssembly compilation, with, arguments.callee and data: imports', () => {
      expect(rules('WebAssembly.compile(bytes)')).to.deep.equal(['webassembly']);
      expect(rules('with (process) { env }', 'a.cjs')).to.include('with-statement');
      expect(rules('function f() { return arguments.callee.caller; }')).to.deep.equal(['caller-access']);
      expect(scan("import('data:text/javascript,1')")[0]).to.include({
        rule: 'import-url',
        capability: 'dynamic-code',
      });
      expect(scan("import x from 'https://e.com/x.js'")[0]).to.include({ rule: 'import-url', capability: 'network' });
    });
  });

  describe('when code reaches process and module internals', () => {
    it('maps each member to its capability', () => {
      expect(scan("process.binding('fs')")[0]?.capability).to.equal('native');
      expect(scan('process.dlopen(m, p)')[0]?.capability).to.equal('native');
      expect(scan('process.env.HOME')[0]?.capability).to.equal('env');
      expect(scan('const { env } = process;')[0]?.capability).to.equal('env');
      expect(scan("import p from 'node:process'; p.env.X")[0]?.capability).to.equal('env');
      expect(rules("module.constructor._load('fs')")).to.deep.equal(['module-constructor']);
      expect(rules("require.main.require('fs')")).to.deep.equal(['require-main']);
      expect(rules("module.parent.require('fs')")).to.deep.equal(['require-main']);
      expect(rules("process.mainModule.require('fs')")).to.deep.equal(['require-main']);
    });

    it('follows top-level aliases of process and the global object', () => {
      expect(scan("function f() { return p.env; }\nconst p = require('node:process');")[0]).to.include({
        rule: 'process-env',
        line: 1,
      });
      expect(rules("var node_process = require('process');\nnode_process.platform;")).to.deep.equal([]);
      expect(rules('const g = globalThis;\ng.eval(x); g[key];')).to.deep.equal(['eval', 'computed-global-access']);
      expect(rules('function f() { const p = process; }')).to.deep.equal(['escaped-reference']);
    });

    it('maps network globals, IPC and reports to their capabilities', () => {
      expect(scan("fetch('https://e.com')")[0]).to.include({ rule: 'network-global', capability: 'network' });
      expect(scan('new globalThis.WebSocket(u)')[0]).to.include({ rule: 'network-global', capability: 'network' });
      expect(scan('process.send(m)')[0]?.capability).to.equal('node:child_process');
      expect(scan('process.report.writeReport()')[0]?.capability).to.equal('node:fs');
      expect(rules("typeof fetch === 'function'; client.fetch(); x = { fetch: 1 };")).to.deep.equal([]);
    });

    it("reports the CommonJS wrapper's arguments and reflective reads of sensitive keys", () => {
      expect(rules("arguments[1]('fs')", 'a.cjs')).to.deep.equal(['require-alias']);
      expect(rules('function f() { return arguments[0]; }', 'a.cjs')).to.deep.equal([]);
      expect(rules("Reflect.get(() => {}, 'constructor')")).to.deep.equal(['computed-global-access']);
      expect(rules("Object.getOwnPropertyDescriptor(proto, 'const' + 'ructor')")).to.deep.equal([
        'computed-global-access',
      ]);
      expect(rules('Object.getOwnPropertyDescriptor(target, key)')).to.deep.equal(['computed-member']);
      expect(rules("Reflect.get(target, 'name')")).to.deep.equal([]);
    });

    it('reports the Function constructor reached by any key it cannot prove harmless, and no harmless key', () => {
      const reached = [
        "const k = atob('Y29uc3RydWN0b3I=');\nexport default (() => {})[k];",
        "const k = Buffer.from('Y29uc3RydWN0b3I=', 'base64').toString();\nexport default f[k];",
        'const k = JSON.parse(\'"constructor"\');\nexport default f[k];',
        "let s = '';\nfor (const c of [99, 111]) s += String.fromCharCode(c);\nexport default f[s];",
        "const k = 'constructor';\nexport default f[k];",
        "const k = { [Symbol.toPrimitive]: () => 'constructor' };\nexport default f[k];",
        'const { [g()]: F } = f;\nexport default F;',
        'export default Object.getOwnPropertyDescriptor(Object.getPrototypeOf(f), k).value;',
        'export default Reflect.get(f, k);',
        'export default Object.getOwnPropertyDescriptors(Object.getPrototypeOf(f));',
        "const a = 'constr';\nconst b = 'uctor';\nexport default f[a + b];",
        'export default (k) => f[k];',
      ];
      for (const code of reached) expect(rules(code, 'a.mjs'), code).to.include('computed-member');
      const retargeted = [
        "class C { m(o) { return new this.constructor(o.code); } }\nC.prototype.m.call(() => {}, { code: 'x' });",
        "class C { m(o) { return new this.constructor(o); } }\nconst f = () => {};\nf.m = C.prototype.m;\nf.m('x');",
        "class C { m(o) { return new this.constructor(o); } }\nexport default Object.getOwnPropertyDescriptor(C.prototype, 'm');",
        "export default (x) => x.constructor.call(null, 'return 1');",
      ];
      for (const code of retargeted) expect(rules(code, 'a.mjs'), code).to.include('function-constructor');
      const statics = [
        "class A { static { this.constructor('return 1')(); } }",
        "class A { static m() { return new this.constructor('x'); } }",
      ];
      for (const code of statics) expect(rules(code, 'a.mjs'), code).to.include('function-constructor');
      const harmless = [
        "const k = 'name';\nexport default f[k];",
        'for (let i = 0; i < a.length; i++) a[i] = b[i] * 2;',
        'export default ({ a: 1, b: 2 })[k];',
        'if (o[k]) x();\no[k] = 1;\ndelete o[k];\nexport const t = typeof o[k];',
        'export const last = arr[arr.length - 1];',
        'class Money { plus() { return new this.constructor(1); } }',
        'class Money { plus(o) { return new this.constructor(this.c + o.c); } }\nexport default new Money(1).plus(new Money(2));',
        'class Money { clone() { return new this.constructor(); } }\nexport const f = Money.prototype.clone;',
        'class Money { make = (v) => new this.constructor(v); }',
      ];
      for (const code of harmless) expect(rules(code, 'a.mjs'), code).to.deep.equal([]);
    });

    it('reports writes into prototypes the host shares, and process internals', () => {
      expect(rules("Object.prototype.shell = '/bin/sh';")).to.deep.equal(['intrinsic-mutation']);
      expect(rules('Object.assign(Array.prototype, extras);')).to.deep.equal(['intrinsic-mutation']);
      expect(rules('({}).__proto__.polluted = 1;')).to.deep.equal(['intrinsic-mutation']);
      expect(rules('Money.prototype.add = function add() {};')).to.deep.equal([]);
      expect(scan('process._getActiveHandles()')[0]).to.include({ rule: 'process-internals', capability: 'native' });
    });

    it('reports every way of changing a shared intrinsic, and none of changing its own classes', () => {
      const changes = [
        "Reflect.set(Array.prototype, 'x', 1);",
        "Reflect.defineProperty(Object.prototype, 'x', { value: 1 });",
        "String.prototype.__defineGetter__('x', () => 1);",
        'Object.getPrototypeOf(x).y = 1;',
        'Object.setPrototypeOf(Object.prototype, null);',
        'Math.random = () => 4;',
        '[Array.prototype.x] = [1];',
        'delete Array.prototype.push;',
        "''.constructor.prototype.x = 1;",
        'globalThis.fetch = () => 1;',
      ];
      for (const code of changes) expect(rules(code), code).to.include('intrinsic-mutation');
      const own = [
        'class Money {}\nMoney.prototype.plus = function () {};\nMoney.count = 1;',
        "function Foo() {}\nFoo.prototype = Object.create(Object.prototype);\nObject.defineProperty(Foo.prototype, 'x', { value: 1 });",
        'class List {}\nObject.setPrototypeOf(List.prototype, Array.prototype);\nconst slice = Array.prototype.slice;',
      ];
      for (const code of own) expect(rules(code), code).to.deep.equal([]);
    });

    it('follows a shared built-in through variables, and reports it handed where it may be changed', () => {
      const writes = [
        'const AP = Array.prototype;\nAP.x = 1;',
        'const { prototype } = Array;\nprototype.x = 1;',
        'let o = Object;\no.prototype.y = 1;',
        'function f() { p.x = 1; }\nconst p = Object.getPrototypeOf([]);',
        '[].__proto__.x = 1;',
        '({}).constructor.prototype.x = 1;',
        'Object.defineProperties(Object.prototype, { x: { value: 1 } });',
        'const g = globalThis;\ng.Array.prototype.x = 1;',
        'Promise = function () {};',
        "const path = require('node:path');\npath.join = () => '';",
        "import { EventEmitter } from 'node:events';\nEventEmitter.prototype.emit = () => true;",
        'probe.hasOwnProperty.call = () => true;',
        "({}).__lookupGetter__('__proto__').call([]).x = 1;",
      ];
      for (const code of writes) expect(rules(code, 'a.mjs'), code).to.include('intrinsic-mutation');
      expect(rules('function f() { this.setTimeout = () => 1; }', 'a.cjs')).to.include('intrinsic-mutation');
      const escapes = [
        'function f(p) { p.polluted = 1; }\nf(Object.prototype);',
        'export default Array.prototype;',
        'export const o = { slice: Array.prototype.slice };',
        'const gp = Object.getPrototypeOf;\ngp([]).x = 1;',
        'const d = Object.getOwnPropertyDescriptor(Object.prototype, "__proto__");',
        'register(...[Function.prototype]);',
      ];
      for (const code of escapes) expect(rules(code, 'a.mjs'), code).to.include('intrinsic-escape');
      const reads = [
        'const hasOwn = Object.prototype.hasOwnProperty;\nexport default (o, k) => hasOwn.call(o, k);',
        'export const isPlain = (v) => Object.getPrototypeOf(v) === Object.prototype || v instanceof Map;',
        'class E extends Error { constructor(m) { super(m); Error.captureStackTrace(this, this.constructor); } }',
        'function Request() {}\nRequest.prototype.x = 1;\nexport default new Request();',
        'export const max = Number.MAX_SAFE_INTEGER;\nexport const it = { [Symbol.iterator]: null };',
        "import { join } from 'node:path';\nexport default { join, keys: Object.keys(Object.prototype) };",
        'export const clean = (a) => a.filter(Boolean).map(String);',
      ];
      for (const code of reads) expect(rules(code, 'a.mjs'), code).to.deep.equal([]);
    });

    it('follows re-exports of process as it follows imports, in the file that re-exports', () => {
      expect(rules("export * from 'node:process';", 'a.mjs')).to.deep.equal(['escaped-reference']);
      expect(rules("export { getBuiltinModule } from 'node:process';", 'a.mjs')).to.deep.equal(['computed-builtin']);
      expect(rules("export { default } from 'node:process';", 'a.mjs')).to.deep.equal(['escaped-reference']);
      expect(rules("export { env } from 'process';", 'a.mjs')).to.deep.equal(['process-env']);
      expect(rules("import p from 'node:process';\nexport { p };", 'a.mjs')).to.deep.equal(['escaped-reference']);
      expect(rules("export { platform } from 'node:process';", 'a.mjs')).to.deep.equal([]);
    });

    it('reports Error.prepareStackTrace, which hands out call sites', () => {
      expect(rules('Error.prepareStackTrace = (e, s) => s;')).to.have.members(['caller-access', 'intrinsic-mutation']);
    });

    it('checks getBuiltinModule and createRequire', () => {
      expect(rules("import { getBuiltinModule } from 'node:process';")).to.deep.equal(['computed-builtin']);
      expect(scan("process.getBuiltinModule('node:fs')")[0]?.capability).to.equal('node:fs');
      expect(rules("process.getBuiltinModule('path')")).to.deep.equal([]);
      expect(rules('process.getBuiltinModule(name)')).to.deep.equal(['computed-builtin']);
      expect(rules("import { createRequire } from 'node:module';")).to.include('create-require');
    });
  });

  describe('when identifiers are written with Unicode escapes', () => {
    it('reports the escape and still sees the name', () => {
      expect(rules("\\u0072equire('fs')")).to.deep.equal(['unicode-escape', 'import-builtin']);
      expect(rules('process.\\u{65}nv')).to.include('unicode-escape');
    });

    it('reports escaped private names and nothing for plain ones', () => {
      expect(rules('class A { #\\u0078 = 1; }')).to.deep.equal(['unicode-escape']);
      expect(rules('class A { #x = 1; m(o) { return #x in o && this.#x; } }')).to.deep.equal([]);
    });
  });

  describe('when dangerous names are only mentioned', () => {
    it('reports nothing for strings, comments, regexes and property names', () => {
      const code = [
        "// require('child_process') and eval() in a comment",
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the string is JavaScript source under test
        "const s = 'child_process' + \"process.binding\" + `eval(${1})` + '\\u0072equire';",
        '/* new Function() */ const re = /child_process|eval\\(/;',
        'const o = { eval: 1, require: 2, process: 3, child_process: 4, constructor: 5 };',
        'o.eval; o.require; o.env; job.binding; x.process; y.module;',
        'class A { m() { return new this.constructor(); } }',
        "if (v.constructor === Object && typeof require === 'function' && typeof module !== 'undefined') {}",
        "import path from 'node:path'; import { randomUUID } from 'node:crypto';",
        'module.exports = { p: process.platform, v: process.version, f: path.join };',
      ].join('\n');
      expect(scan(code)).to.deep.equal([]);
    });
  });

  describe('when the source is CommonJS', () => {
    it('falls back to script goal for top-level return and reports sloppy this escaping', () => {
      expect(rules("if (x) return;\nrequire('fs')")).to.deep.equal(['import-builtin']);
      expect(rules('const g = (function () { return this; })();')).to.deep.equal(['sloppy-this']);
      expect(rules("'use strict';\nconst g = (function () { return this; })();")).to.deep.equal([]);
    });

    it('parses what Node runs: a hashbang, HTML-like comments and a top-level new.target', () => {
      expect(rules("#!/usr/bin/env node\nrequire('fs');")).to.deep.equal(['import-builtin']);
      expect(rules("<!-- a comment in a script\nrequire('fs');\n--> another")).to.deep.equal(['import-builtin']);
      expect(rules("if (new.target) return;\nrequire('fs');")).to.deep.equal(['import-builtin']);
    });
  });

  describe('when the input is broken or hostile', () => {
    it('reports a parse error with its position instead of throwing', () => {
      expect(scan('let x = (;')[0]).to.include({ rule: 'parse-error', line: 1 });
    });

    it('reports too-complex for nesting beyond the stack', () => {
      const deep = `${'('.repeat(200_000)}1${')'.repeat(200_000)}`;
      expect(rules(deep)).to.deep.equal(['too-complex']);
    });

    it('reports too-complex for a long chain in a module that declares the decorator-metadata helper', () => {
      const helper = [
        'var __metadata = (this && this.__metadata) || function (k, v) {',
        '  if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);',
        '};',
      ].join('\n');
      const chain = `export const x = ${"'a' + ".repeat(200_000)}'a';`;
      // A budget no loaded machine runs out of: this is about complexity, not time (the default is 1 s).
      const findings = scanSource(`${helper}\n${chain}`, { file: 'index.mjs', timeBudgetMs: 120_000 });
      expect(findings.map((f) => f.rule)).to.deep.equal(['too-complex']);
    });

    it('reports a scan-timeout when the walk budget runs out', () => {
      const wide = 'x.y;\n'.repeat(50_000);
      expect(scanSource(wide, { file: 'a.js', timeBudgetMs: 0 }).map((f) => f.rule)).to.deep.equal(['scan-timeout']);
    });
  });
});
