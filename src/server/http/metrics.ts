// Prometheus metrics of one server instance, on their own registry (tests build many apps).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type ServerMetrics = {
  registry: Registry;
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  heartbeats: Counter<'result'>;
  alerts: Counter<'result'>;
  authRefusals: Counter<'who' | 'reason'>;
  enrollments: Counter<'result'>;
  writeBatchSize: Histogram<'table'>;
  writeBatchSeconds: Histogram<'table'>;
};

export function createMetrics(options: { processMetrics: boolean }): ServerMetrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'ring3_server_' });
  const registers = [registry];
  return {
    registry,
    requestSeconds: new Histogram({
      name: 'ring3_http_request_duration_seconds', help: 'HTTP request duration by route and status',
      labelNames: ['method', 'route', 'status'], buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers,
    }),
    heartbeats: new Counter({ name: 'ring3_heartbeats_total', help: 'Heartbeats received, by result (stored, duplicate)', labelNames: ['result'], registers }),
    alerts: new Counter({ name: 'ring3_alerts_total', help: 'Alerts received, by result (stored, duplicate)', labelNames: ['result'], registers }),
    authRefusals: new Counter({ name: 'ring3_auth_refusals_total', help: 'Refused credentials, by caller kind and reason', labelNames: ['who', 'reason'], registers }),
    enrollments: new Counter({ name: 'ring3_enrollments_total', help: 'Enrollment attempts, by result', labelNames: ['result'], registers }),
    writeBatchSize: new Histogram({
      name: 'ring3_store_write_batch_size', help: 'Rows per grouped store write', labelNames: ['table'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000], registers,
    }),
    writeBatchSeconds: new Histogram({
      name: 'ring3_store_write_batch_seconds', help: 'Duration of grouped store writes', labelNames: ['table'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1], registers,
    }),
  };
}
