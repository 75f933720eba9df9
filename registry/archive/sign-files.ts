import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { ModuError } from '../../kernel/index.js';
import { computeIntegrity } from './integrity.js';
import type { ArchiveFile } from './read-archive.js';

/** The ed25519 signature stored in a version record. */
export interface FileSignature {
  readonly algorithm: 'ed25519';
  readonly keyId: string;
  readonly value: string;
}

/**
 * The bytes that get signed: a header binding name and version (so a signature cannot be replayed
 * on another version), then `<sri>  <path>` for every file, sorted by path.
 */
export function signedPayload(name: string, version: string, files: readonly ArchiveFile[]): Buffer {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((file) => `${computeIntegrity(file.data)}  ${file.path}`);
  return Buffer.from(`modu-signature-v1\n${name}@${version}\n${lines.join('\n')}\n`, 'utf8');
}

/** The id of a public key: the first 32 hex digits of sha256 over its SPKI DER bytes. */
export function keyIdOf(key: KeyObject | string): string {
  const publicKey =
    typeof key === 'string' ? createPublicKey(key) : key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 32);
}

/** Signs every file's digest with an ed25519 private key (PEM). */
export function signFiles(
  name: string,
  version: string,
  files: readonly ArchiveFile[],
  privateKeyPem: string,
): FileSignature {
  const key = createPrivateKey(privateKeyPem);
  const value = sign(null, signedPayload(name, version, files), key).toString('base64');
  return { algorithm: 'ed25519', keyId: keyIdOf(key), value };
}

/**
 * Verifies a signature against the trusted keys.
 *
 * @throws ModuError `MODU_REGISTRY_SIGNATURE_MISSING`, `MODU_REGISTRY_SIGNATURE_INVALID`
 */
export function verifyFiles(
  name: string,
  version: string,
  files: readonly ArchiveFile[],
  signature: FileSignature | undefined,
  trustedKeys: readonly { readonly id: string; readonly publicKey: string }[],
): void {
  const what = `${name}@${version}`;
  if (signature === undefined) {
    throw new ModuError('MODU_REGISTRY_SIGNATURE_MISSING', `${what} is not signed and this host requires signatures.`, {
      details: { plugin: name, version },
    });
  }
  const key = trustedKeys.find((k) => k.id === signature.keyId);
  const ok =
    key !== undefined &&
    verify(
      null,
      signedPayload(name, version, files),
      createPublicKey(key.publicKey),
      Buffer.from(signature.value, 'base64'),
    );
  if (!ok) {
    const reason =
      key === undefined ? `key ${signature.keyId} is not trusted` : 'the signature does not match the files';
    throw new ModuError('MODU_REGISTRY_SIGNATURE_INVALID', `${what} has an invalid signature: ${reason}.`, {
      details: { plugin: name, version, keyId: signature.keyId },
    });
  }
}
