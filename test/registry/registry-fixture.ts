import { generateKeyPairSync } from 'node:crypto';
import {
  FolderStorage,
  keyIdOf,
  LocalRegistry,
  type LocalRegistryOptions,
  packPlugin,
  type VersionRecord,
} from '../../registry/index.js';
import { type PluginSpec, writePlugin } from './plugin-folder.js';

/** A folder registry in `root` plus a helper that packs and publishes a generated plugin. */
export function folderRegistry(root: string, options: LocalRegistryOptions = {}) {
  const registry = new LocalRegistry(new FolderStorage(root), options);
  let n = 0;
  const publish = async (spec: PluginSpec, publishOptions = {}): Promise<VersionRecord> => {
    const folder = await writePlugin(`${root}-src-${n++}`, spec);
    return registry.publish((await packPlugin(folder)).bytes, publishOptions);
  };
  return { registry, publish };
}

/** A fresh ed25519 key pair in PEM with its key id. */
export function signingKeyPair(): { privateKey: string; publicKey: string; id: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    id: keyIdOf(publicKey),
  };
}
