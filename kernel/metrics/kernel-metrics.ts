import { Counter, Gauge, Registry } from 'prom-client';
import { SafeMap } from '../primordials.js';
import type { PluginSnapshot } from '../runtime/plugin-snapshot.js';
import type { PluginStateChange } from '../runtime/plugin-table.js';
import { metricLabels } from './metric-labels.js';

/**
 * The kernel's Prometheus metrics, in a registry of its own (never prom-client's global one, so
 * that two kernels in one process do not collide): plugins per state, time per phase, transitions.
 */
export function createKernelMetrics(snapshot: () => readonly PluginSnapshot[]): {
  readonly registry: Registry;
  readonly onStateChange: (change: PluginStateChange) => void;
} {
  const registry = new Registry();
  new Gauge({
    name: 'modu_plugins',
    help: 'Plugins by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const plugin of snapshot()) this.inc(metricLabels({ state: plugin.state }));
    },
  });
  new Gauge({
    name: 'modu_plugin_phase_seconds',
    help: 'Time each plugin spent in each lifecycle phase',
    labelNames: ['plugin', 'phase'],
    registers: [registry],
    collect() {
      this.reset();
      for (const plugin of snapshot()) {
        for (const [phase, ms] of Object.entries(plugin.durations))
          this.set(metricLabels({ plugin: plugin.name, phase }), ms / 1000);
      }
    },
  });
  // Counted here and added to the counter when it is read: a boot makes several state changes per plugin.
  const uncounted = new SafeMap<string, number>();
  new Counter({
    name: 'modu_plugin_transitions_total',
    help: 'Plugin state changes',
    labelNames: ['to'],
    registers: [registry],
    collect() {
      uncounted.forEach((count, to) => {
        this.inc(metricLabels({ to }), count);
      });
      uncounted.clear();
    },
  });
  return { registry, onStateChange: ({ to }) => uncounted.set(to, (uncounted.get(to) ?? 0) + 1) };
}
