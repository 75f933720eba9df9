import { readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { DEFAULT_ARCHIVE_LIMITS, safeExtract, type TarEntry, writeTar, writeTgz } from '../../../registry/index.js';
import { rejection } from '../../helpers/rejection.js';
import { type Scratch, scratch } from '../plugin-folder.js';

const text = (s: string) => Buffer.from(s);
const manifest = { path: 'plugin.yaml', data: text('name: a\nversion: 1.0.0\nmain: index.js\nkernel: ^1.0.0\n') };
const entry = (path: string, extra: Partial<TarEntry> = {}): TarEntry => ({ path, data: text('x'), ...extra });

const hostile: Record<string, { bytes: () => Buffer; code: string }> = {
  'a path climbing out with ..': {
    bytes: () => writeTgz([manifest, entry('../evil.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a .. hidden mid-path': {
    bytes: () => writeTgz([manifest, entry('lib/../../evil.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'an absolute path': {
    bytes: () => writeTgz([manifest, entry('/tmp/evil.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a drive letter': { bytes: () => writeTgz([manifest, entry('C:/evil.js')]), code: 'MODU_REGISTRY_ARCHIVE_UNSAFE' },
  'a backslash path': { bytes: () => writeTgz([manifest, entry('..\\evil.js')]), code: 'MODU_REGISTRY_ARCHIVE_UNSAFE' },
  'a symlink escape': {
    bytes: () => writeTgz([manifest, { path: 'link', type: 'SymbolicLink', linkpath: '/etc' }, entry('link/passwd')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a hardlink escape': {
    bytes: () => writeTgz([manifest, { path: 'hard', type: 'Link', linkpath: '../../etc/passwd' }]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a device file': {
    bytes: () => writeTgz([manifest, { path: 'dev', type: 'CharacterDevice' }]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a fifo': { bytes: () => writeTgz([manifest, { path: 'pipe', type: 'FIFO' }]), code: 'MODU_REGISTRY_ARCHIVE_UNSAFE' },
  'a setuid file': {
    bytes: () => writeTgz([manifest, entry('run.js', { mode: 0o4755 })]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'duplicate entries': {
    bytes: () => writeTgz([manifest, entry('index.js'), entry('index.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'case-colliding names': {
    bytes: () => writeTgz([manifest, entry('Index.js'), entry('index.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'Unicode-colliding names (NFC vs NFD)': {
    bytes: () => writeTgz([manifest, entry('caf\u00e9.js'), entry('cafe\u0301.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a file used as a folder': {
    bytes: () => writeTgz([manifest, entry('lib'), entry('lib/a.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a decompression bomb': {
    bytes: () => writeTgz([manifest, { path: 'zeros.bin', data: Buffer.alloc(8 * 1024 * 1024) }]),
    code: 'MODU_REGISTRY_ARCHIVE_TOO_LARGE',
  },
  'a huge entry count': {
    bytes: () =>
      writeTgz([manifest, ...Array.from({ length: 10_001 }, (_, i) => ({ path: `f${i}`, data: Buffer.alloc(0) }))]),
    code: 'MODU_REGISTRY_ARCHIVE_TOO_LARGE',
  },
  'a path deeper than the limit': {
    bytes: () => writeTgz([manifest, entry(`${Array.from({ length: 40 }, () => 'd').join('/')}/deep.js`)]),
    code: 'MODU_REGISTRY_ARCHIVE_TOO_DEEP',
  },
  'a name Windows reserves': {
    bytes: () => writeTgz([manifest, entry('lib/con.js')]),
    code: 'MODU_REGISTRY_ARCHIVE_UNSAFE',
  },
  'a non-gzip file named .tgz': { bytes: () => writeTar([manifest]), code: 'MODU_REGISTRY_ARCHIVE_INVALID' },
  'a truncated gzip stream': {
    bytes: () => {
      const full = writeTgz([
        manifest,
        { path: 'big.js', data: Buffer.from(Array.from({ length: 9000 }, (_, i) => i % 251)) },
      ]);
      return full.subarray(0, Math.floor(full.length / 2));
    },
    code: 'MODU_REGISTRY_ARCHIVE_INVALID',
  },
  'a truncated tar inside valid gzip': {
    bytes: () => gzipSync(writeTar([manifest, { path: 'big.js', data: Buffer.alloc(5000, 1) }]).subarray(0, 1800)),
    code: 'MODU_REGISTRY_ARCHIVE_INVALID',
  },
  'a gzip inside the gzip (hiding a second layer)': {
    bytes: () => gzipSync(writeTgz([manifest])),
    code: 'MODU_REGISTRY_ARCHIVE_INVALID',
  },
};

describe('safeExtract()', () => {
  let dir: Scratch;
  beforeEach(async () => {
    dir = await scratch();
  });
  afterEach(() => dir.cleanup());

  describe('when the archive is a clean plugin', () => {
    it('extracts every file into the target', async () => {
      const archive = await safeExtract(writeTgz([manifest, entry('lib/a.js'), entry('index.js')]), dir.path('out'));
      expect(archive.files.map((f) => f.path)).to.have.members(['plugin.yaml', 'lib/a.js', 'index.js']);
      expect((await readdir(dir.path('out'), { recursive: true })).sort()).to.deep.equal([
        'index.js',
        'lib',
        'lib/a.js',
        'plugin.yaml',
      ]);
    });
  });

  for (const [what, { bytes, code }] of Object.entries(hostile)) {
    describe(`when the archive holds ${what}`, () => {
      it(`rejects it whole with ${code} and writes nothing inside or outside the target`, async () => {
        const before = await readdir(dir.root);
        const error = await rejection(safeExtract(bytes(), dir.path('out', 'target'), DEFAULT_ARCHIVE_LIMITS));
        expect(error.code).to.equal(code);
        expect(error.message).to.be.a('string').and.not.be.empty;
        expect(await readdir(dir.root)).to.deep.equal(before);
      });
    });
  }
});
