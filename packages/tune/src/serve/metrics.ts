import { Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/** The server's Prometheus metrics (text format at `GET /metrics`), one registry per server. */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'loomrl_http_requests_total',
    help: 'HTTP requests by route, method and status.',
    labelNames: ['route', 'method', 'status'],
    registers: [this.registry],
  });
  readonly requestSeconds = new Histogram({
    name: 'loomrl_http_request_duration_seconds',
    help: 'HTTP request latency by route.',
    labelNames: ['route'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly inferenceSeconds = new Histogram({
    name: 'loomrl_inference_duration_seconds',
    help: 'Time to compute one batch of actions.',
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly batchSize = new Histogram({
    name: 'loomrl_inference_batch_size',
    help: 'Observations per computed batch.',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128],
    registers: [this.registry],
  });
  readonly activeEpisodes = new Gauge({
    name: 'loomrl_active_episodes',
    help: 'External-env episodes started and not ended.',
    registers: [this.registry],
  });
  readonly episodes = new Counter({
    name: 'loomrl_episodes_total',
    help: 'External-env episodes ended, by outcome.',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly policyVersion = new Gauge({
    name: 'loomrl_policy_version',
    help: 'Version of the policy answering requests.',
    registers: [this.registry],
  });
  readonly trainIterations = new Counter({
    name: 'loomrl_train_iterations_total',
    help: 'Training iterations on external experience.',
    registers: [this.registry],
  });
}
