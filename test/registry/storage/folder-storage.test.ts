import { FolderStorage } from '../../../registry/index.js';
import { scratch } from '../plugin-folder.js';
import { registryStorageContract } from './registry-storage-contract.js';

registryStorageContract('folder', async () => {
  const dir = await scratch('modu-folder-storage-');
  return { storage: new FolderStorage(dir.path('reg')), cleanup: () => dir.cleanup() };
});
