import { ModuError } from '../../kernel/index.js';

/** Awaits a promise that must reject with a ModuError, and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<ModuError> {
  try {
    await promise;
  } catch (error) {
    if (ModuError.is(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}
