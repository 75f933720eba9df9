import { Counter, Gauge, type Metric, Registry } from 'prom-client';
import { type CompiledRoute, LATENCY_BUCKETS } from './compiled-route.js';
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
  registry.registerMetric(latencyHistogram(routes) as unknown as Metric);
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

interface HistogramValue {
  readonly metricName: string;
  readonly labels: Record<string, string | number>;
  readonly value: number;
}

/**
 * A latency histogram per route, built at scrape time from the routes' plain bucket counters (a
 * prom-client Histogram would hash its label set on every request). It speaks prom-client's metric
 * protocol: `name`, `help`, `type` and `get()`.
 */
function latencyHistogram(routes: () => Iterable<CompiledRoute>) {
  const name = 'modu_http_request_duration_seconds';
  return {
    name,
    help: 'Time plugin routes took to answer, by plugin, method and route.',
    type: 'histogram',
    aggregator: 'sum',
    get() {
      const values: HistogramValue[] = [];
      for (const route of routes()) {
        const labels = { plugin: route.plugin.name, method: route.method, route: route.path };
        let cumulative = 0;
        route.stats.buckets.forEach((count, slot) => {
          cumulative += count;
          const le = slot < LATENCY_BUCKETS.length ? (LATENCY_BUCKETS[slot] as number) : '+Inf';
          values.push({ metricName: `${name}_bucket`, labels: { ...labels, le }, value: cumulative });
        });
        values.push({ metricName: `${name}_sum`, labels, value: route.stats.durationSeconds });
        values.push({ metricName: `${name}_count`, labels, value: cumulative });
      }
      return { name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
}
