// Prometheus metrics: one registry per app instance (tests build many apps in one process).
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export interface MetricsSources {
  poolStats(): { total: number; idle: number; waiting: number };
  jobCounts(): Promise<Array<{ name: string; state: string; count: number }>>;
}

export interface Metrics {
  registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/** Creates the registry with HTTP, job and database-pool metrics; feature modules may add their own. */
export function createMetrics(sources: MetricsSources): Metrics {
  const registry = new Registry();
  const requests = new Counter({
    name: "merit_http_requests_total",
    help: "HTTP requests by method, route pattern and status code",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "merit_http_request_duration_seconds",
    help: "HTTP request latency by method and route pattern",
    labelNames: ["method", "route"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: "merit_db_pool_connections",
    help: "Database pool connections by state (embedded PGlite reports one connection)",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const s = sources.poolStats();
      this.set({ state: "total" }, s.total);
      this.set({ state: "idle" }, s.idle);
      this.set({ state: "waiting" }, s.waiting);
    },
  });
  new Gauge({
    name: "merit_jobs",
    help: "Background jobs by queue and state",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of await sources.jobCounts()) this.set({ queue: c.name, state: c.state }, c.count);
    },
  });
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
    },
  };
}
