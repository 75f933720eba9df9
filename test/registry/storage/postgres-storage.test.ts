import { PostgresStorage } from '../../../registry/index.js';
import { testDatabase } from '../pg-test-database.js';
import { registryStorageContract } from './registry-storage-contract.js';

registryStorageContract('postgres', async (context) => {
  const database = await testDatabase(context);
  return { storage: new PostgresStorage(database.url), cleanup: () => database.drop() };
});
