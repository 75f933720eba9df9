import { ObjectCreate } from '../primordials.js';

/**
 * The labels of one sample as a null-prototype object. prom-client checks label names with `for…in`, which also
 * walks Object.prototype: one enumerable key a plugin adds there would otherwise make every metric update throw,
 * and a state change is counted in the middle of the boot.
 *
 * @example transitions.inc(metricLabels({ to: 'started' }))
 */
export function metricLabels<T extends Record<string, string | number>>(labels: T): T {
  return Object.assign(ObjectCreate(null) as T, labels);
}
