import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { redact, secretsGeneration } from './redaction.ts';

/**
 * Prometheus metrics of one subgraph process. Labels are bounded sets (vendor, method, outcome, error code,
 * sanitised operation name): never an INN, a key or a token.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly vendorCalls = new Counter({
    name: 'vendor_calls_total',
    help: 'Vendor calls by vendor, method and outcome (ok, or the error code in lower case; circuit_open calls never reached the vendor).',
    labelNames: ['vendor', 'method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly vendorRetries = new Counter({
    name: 'vendor_retries_total',
    help: 'HTTP retries made inside vendor calls (429, 5xx, connection errors).',
    labelNames: ['vendor', 'method'] as const,
    registers: [this.registry],
  });

  readonly vendorLatency = new Histogram({
    name: 'vendor_call_duration_seconds',
    help: 'Duration of vendor calls, retries included.',
    labelNames: ['vendor', 'method'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly vendorBatchSize = new Histogram({
    name: 'vendor_call_identifiers',
    help: 'Identifiers (INNs/OGRNs) carried by one vendor call.',
    labelNames: ['vendor', 'method'] as const,
    buckets: [1, 5, 10, 25, 50, 75, 99, 100],
    registers: [this.registry],
  });

  readonly breakerState = new Gauge({
    name: 'vendor_circuit_state',
    help: 'Circuit breaker per vendor: 0 closed, 1 half-open, 2 open.',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });

  readonly cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cache lookups per vendor method: hit, miss, or stale_served (an expired entry answered because the vendor failed).',
    labelNames: ['method', 'result'] as const,
    registers: [this.registry],
  });

  readonly coalesced = new Counter({
    name: 'inflight_coalesced_total',
    help: 'Identifiers answered by joining a vendor call already in flight: lookups that did not cost a call of their own.',
    labelNames: ['method'] as const,
    registers: [this.registry],
  });

  readonly vendorQueueDepth = new Gauge({
    name: 'vendor_queue_depth',
    help: 'Lookups waiting for a vendor slot: identifiers of batch methods plus single fetches (pages, documents).',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });

  readonly vendorQueueWait = new Histogram({
    name: 'vendor_queue_wait_seconds',
    help: 'How long the oldest identifier of a vendor call waited for a slot before the call was sent.',
    labelNames: ['vendor', 'method'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [this.registry],
  });

  readonly claimWaits = new Counter({
    name: 'cache_claim_waits_total',
    help: 'Identifiers another replica was already fetching (CACHE_URL): answered from the store when its call landed, taken over when its claim lapsed or was released unanswered, or dropped because nobody waited any more.',
    labelNames: ['method', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly vendorQueueAbandoned = new Counter({
    name: 'vendor_queue_abandoned_total',
    help: 'Identifiers or single fetches dropped from the queue before any call, because every operation waiting for them had ended (deadline, client gone).',
    labelNames: ['vendor', 'method'] as const,
    registers: [this.registry],
  });

  readonly vendorQueueShed = new Counter({
    name: 'vendor_queue_shed_total',
    help: "Lookups refused without a call because the vendor's queue was full (e.g. FOCUS_MAX_QUEUE), answered VENDOR_RATE_LIMITED.",
    labelNames: ['vendor', 'method'] as const,
    registers: [this.registry],
  });

  readonly operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by operation name and outcome (success, partial, error).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly operationDuration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'GraphQL operation duration.',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly errors = new Counter({
    name: 'graphql_errors_total',
    help: 'GraphQL errors by extensions.code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });

  /** What the in-memory cache holds; set by observeCache (undefined for Redis: Redis reports its own memory). */
  private cacheUsage: () => { entries: number; bytes: number } | undefined = () => undefined;

  readonly cacheEntries = new Gauge({
    name: 'cache_entries',
    help: 'Entries the in-memory cache holds (absent with Redis).',
    registers: [this.registry],
    collect: () => {
      const usage = this.cacheUsage();
      if (usage) this.cacheEntries.set(usage.entries);
    },
  });

  readonly cacheMemory = new Gauge({
    name: 'cache_memory_bytes',
    help: 'Estimated heap bytes of what the in-memory cache holds, as CACHE_MAX_MEMORY counts them (absent with Redis).',
    registers: [this.registry],
    collect: () => {
      const usage = this.cacheUsage();
      if (usage) this.cacheMemory.set(usage.bytes);
    },
  });

  observeCache(usage: () => { entries: number; bytes: number } | undefined): void {
    this.cacheUsage = usage;
  }

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}

/** Distinct operation names kept as labels; later new names count as "other" (clients choose names freely). */
const MAX_OPERATION_LABELS = 200;
const knownOperations = new Set<string>();
/** Labels by operation name, as computed (redaction runs every secret's patterns): most operations repeat a name. */
const labelOf = new Map<string, string>();
let labelsForSecrets = -1;
const MAX_REMEMBERED_NAMES = 1_000;

/**
 * Operation names come from clients: keep them a bounded, harmless label. A name holding five digits or more
 * (perhaps an INN, even split by separators) has its digits replaced by "#", anything else odd becomes "_",
 * the length is capped, and past 200 distinct names the rest are "other".
 */
export function operationLabel(name: string | null | undefined): string {
  if (!name) return 'anonymous';
  if (labelsForSecrets !== secretsGeneration()) {
    labelOf.clear();
    labelsForSecrets = secretsGeneration();
  }
  let label = labelOf.get(name);
  if (label === undefined) {
    label = labelFor(name);
    if (labelOf.size < MAX_REMEMBERED_NAMES) labelOf.set(name, label);
  }
  return label;
}

function labelFor(name: string): string {
  // A client could name an operation after a secret it saw: registered secrets never become a label.
  if (redact(name) !== name) return 'redacted';
  const digits = name.replace(/\D/g, '').length;
  const label = (digits >= 5 ? name.replace(/\d/g, '#') : name).replace(/[^\w#]/g, '_').slice(0, 64);
  if (knownOperations.has(label)) return label;
  if (knownOperations.size >= MAX_OPERATION_LABELS) return 'other';
  knownOperations.add(label);
  return label;
}
