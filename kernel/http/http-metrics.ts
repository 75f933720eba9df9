import { Counter, Gauge, Registry } from 'prom-client';
import type { CompiledRoute } from './compiled-route.js';
import type { MountedPlugin } from './mounted-plugin.js';

const BREAKER_VALUE = { closed: 0, 'half-open': 1, open: 2 } as const;

/**
 * A Prometheus registry of the HTTP layer's own (never the global one). Requests are counted in plain
 * per-route counters on the hot path; these metrics read them when scraped.
 */
export function createHttpMetrics(
  routes: () => Iterable<CompiledRoute>,
  plugins: () => Iterable<MountedPlugin>,
): Registry {
  const registry = new Registry();
  new Counter({
    name: 'modu_http_requests_total',
    help: 'Requests answered by plugin routes, by plugin, method, route and status.',
    labelNames: ['plugin', 'method', 'route', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const route of routes()) {
        for (const [status, count] of route.stats.byStatus) {
          this.inc(
            { plugin: route.plugin.name, method: route.method, route: route.path, status: String(status) },
            count,
          );
        }
      }
    },
  });
  new Counter({
    name: 'modu_http_request_duration_seconds_total',
    help: 'Time spent answering plugin routes (divide by modu_http_requests_total for the mean latency).',
    labelNames: ['plugin', 'method', 'route'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const route of routes()) {
        const labels = { plugin: route.plugin.name, method: route.method, route: route.path };
        this.inc(labels, route.stats.durationSeconds);
      }
    },
  });
  new Gauge({
    name: 'modu_plugin_circuit_state',
    help: "Each plugin's circuit breaker: 0 closed, 1 half-open, 2 open.",
    labelNames: ['plugin'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const plugin of plugins()) this.set({ plugin: plugin.name }, BREAKER_VALUE[plugin.breaker.state]);
    },
  });
  new Gauge({
    name: 'modu_plugin_requests_in_flight',
    help: 'Requests each plugin is answering now.',
    labelNames: ['plugin'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const plugin of plugins()) this.set({ plugin: plugin.name }, plugin.inFlight);
    },
  });
  return registry;
}
