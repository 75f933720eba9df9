// Compile-time checks: `npm run build` (tsc) fails when an expected error is missing.
import { ModuError } from '../../../kernel/index.js';

export const catalogued = new ModuError('MODU_GRAPH_CYCLE', 'a -> b -> a');
export const fromRegistry = new ModuError('MODU_REGISTRY_NOT_FOUND', 'no plugin x');
// @ts-expect-error: a code no catalogue defines is a compile error
export const typo = new ModuError('MODU_GRAPH_CYCEL', 'a -> b -> a');
