import { Counter, Gauge, type Metric, Registry } from 'prom-client';
import type { GuardStep } from '../guards/guard-chain.js';
import { metricLabels } from '../metrics/metric-labels.js';
import type { BreakerState } from './circuit-breaker.js';
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
          const labels = { plugin: route.plugin.name, method: route.method, route: route.path, status: String(status) };
          this.inc(metricLabels(labels), count);
        }
      }
    },
  });
  registry.registerMetric(latencyHistogram(routes) as unknown as Metric);
  new Gauge({
    name: 'modu_plugin_circuit_state',
    help: "The most open breaker among each plugin's routes and guards: 0 closed, 1 half-open, 2 open.",
    labelNames: ['plugin'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const worst = new Map<string, number>();
      for (const plugin of plugins()) worst.set(plugin.name, 0);
      const note = (plugin: string, state: BreakerState) =>
        worst.set(plugin, Math.max(worst.get(plugin) ?? 0, BREAKER_VALUE[state]));
      for (const route of routes()) note(route.plugin.name, route.breaker.state);
      for (const step of guardsOf(routes())) note(step.owner, step.breaker.state);
      for (const [plugin, value] of worst) this.set(metricLabels({ plugin }), value);
    },
  });
  new Gauge({
    name: 'modu_route_circuit_state',
    help: "Each route's breaker: 0 closed, 1 half-open, 2 open.",
    labelNames: ['plugin', 'method', 'route'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const route of routes()) {
        const labels = { plugin: route.plugin.name, method: route.method, route: route.path };
        this.set(metricLabels(labels), BREAKER_VALUE[route.breaker.state]);
      }
    },
  });
  new Counter({
    name: 'modu_guard_failures_total',
    help: 'Guards that threw or rejected, counted against the guard owner.',
    labelNames: ['plugin', 'guard'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const step of guardsOf(routes()))
        this.inc(metricLabels({ plugin: step.owner, guard: step.name }), step.stats.failures);
    },
  });
  new Gauge({
    name: 'modu_plugin_requests_in_flight',
    help: 'Requests each plugin is answering now.',
    labelNames: ['plugin'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const plugin of plugins()) this.set(metricLabels({ plugin: plugin.name }), plugin.inFlight);
    },
  });
  return registry;
}

/** Every guard the routes run, once each. */
function guardsOf(routes: Iterable<CompiledRoute>): Set<GuardStep> {
  const steps = new Set<GuardStep>();
  for (const route of routes) for (const step of route.chain) steps.add(step);
  return steps;
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
          values.push({ metricName: `${name}_bucket`, labels: metricLabels({ ...labels, le }), value: cumulative });
        });
        values.push({ metricName: `${name}_sum`, labels: metricLabels(labels), value: route.stats.durationSeconds });
        values.push({ metricName: `${name}_count`, labels: metricLabels(labels), value: cumulative });
      }
      return { name, help: this.help, type: 'histogram', values, aggregator: 'sum' };
    },
  };
}
