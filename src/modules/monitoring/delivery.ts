import { createHash } from 'node:crypto';
import { createClient } from '@redis/client';
import { Queue, UnrecoverableError, Worker, createNodeRedisClient } from 'bullmq';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { AlertSink, CompanyAlert } from '../contract.ts';

/** One alert on its way to one sink. */
export interface AlertDelivery {
  alert: CompanyAlert;
  /** The sink's name (AlertSink.name). */
  sink: string;
}

export interface DeliveryOptions {
  /** Attempts of one delivery before it is given up (logged). */
  attempts: number;
  /** First retry after this; doubling. */
  backoffMs: number;
  /** Deliveries under way at once, per process. */
  concurrency: number;
}

/** Where deliveries wait: retried with backoff, one job per (alert, sink) — the same alert emitted again is not queued twice. */
export interface AlertQueue {
  readonly kind: 'redis' | 'memory';
  add(deliveries: readonly AlertDelivery[]): Promise<void>;
  /** Starts consuming: `handle` gets each delivery (again after a failure, with backoff) and its attempt, from 1. */
  run(handle: (delivery: AlertDelivery, attempt: number) => Promise<void>): void;
  /** Deliveries waiting, delayed or under way. */
  depth(): Promise<number>;
  close(): Promise<void>;
}

/** A sink's refusal that no retry can change (e.g. a receiver answering 400): the delivery is given up at once. */
export function isPermanent(error: unknown): boolean {
  return (error as { permanent?: unknown } | undefined)?.permanent === true;
}

/** The queue's id of a delivery: the alert's idempotency id and a digest of the sink's name (no ':' — BullMQ's rule). */
export function deliveryId(delivery: AlertDelivery): string {
  return `${delivery.alert.id}-${createHash('sha256').update(delivery.sink).digest('hex').slice(0, 16)}`;
}

const QUEUE_NAME = 'monitoring-alerts';
const DAY_S = 86_400;

/**
 * BullMQ on the deployment's Redis (CACHE_URL): durable across restarts and shared by the replicas (any of them
 * delivers any alert), BullMQ's retries with exponential backoff, and a job id per (alert, sink): while the job is
 * kept (a week after it completed), emitting the same alert again adds nothing. node-redis through BullMQ's adapter,
 * as the Bitrix24 queue does.
 */
export class RedisAlertQueue implements AlertQueue {
  readonly kind = 'redis';
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly raw: ReturnType<typeof createClient>;
  private readonly connection: ReturnType<typeof createNodeRedisClient>;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly options: DeliveryOptions,
    private readonly logger: Logger,
  ) {
    this.raw = createClient({ url });
    this.raw.on('error', (error: unknown) => this.logger.warn({ err: { message: (error as Error).message } }, 'alert queue: Redis error'));
    this.connection = createNodeRedisClient(this.raw);
    this.queue = new Queue(QUEUE_NAME, { connection: this.connection, prefix });
  }

  async add(deliveries: readonly AlertDelivery[]): Promise<void> {
    if (deliveries.length === 0) return;
    await this.queue.addBulk(
      deliveries.map((delivery) => ({
        name: delivery.alert.type,
        data: delivery,
        opts: {
          jobId: deliveryId(delivery),
          attempts: this.options.attempts,
          backoff: { type: 'exponential', delay: this.options.backoffMs },
          removeOnComplete: { age: 7 * DAY_S, count: 10_000 },
          removeOnFail: { age: 30 * DAY_S, count: 10_000 },
        },
      })),
    );
  }

  run(handle: (delivery: AlertDelivery, attempt: number) => Promise<void>): void {
    this.worker = new Worker<AlertDelivery>(
      QUEUE_NAME,
      async (job) => {
        try {
          await handle(job.data, job.attemptsMade + 1);
        } catch (error) {
          // BullMQ's way of "do not retry": its own error class.
          if (isPermanent(error)) throw new UnrecoverableError((error as Error).message);
          throw error;
        }
      },
      { connection: this.connection, prefix: this.prefix, concurrency: this.options.concurrency },
    );
    this.worker.on('error', (error) => this.logger.warn({ err: { message: error.message } }, 'alert queue worker error'));
  }

  async depth(): Promise<number> {
    const counts = await this.queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    return Object.values(counts).reduce((sum, count) => sum + count, 0);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    if (this.raw.isOpen) await this.raw.quit();
  }
}

/** Ids of deliveries done, remembered in process so an alert emitted again is not delivered again (bounded). */
const DONE_REMEMBERED = 10_000;

/**
 * Without Redis: an in-process queue with the same retries, backoff and per-(alert, sink) deduplication. NOT durable:
 * deliveries waiting when the process stops are lost (the changes stay recorded: companyChanges answers them), and
 * every replica delivers only what its own job detected — configure CACHE_URL for at-least-once across restarts.
 */
export class MemoryAlertQueue implements AlertQueue {
  readonly kind = 'memory';
  private readonly waiting: Array<{ delivery: AlertDelivery; attempt: number }> = [];
  /** Deliveries waiting, under way or waiting for a retry: the same one added again is the same job. */
  private readonly pending = new Set<string>();
  private readonly done = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private handle: ((delivery: AlertDelivery, attempt: number) => Promise<void>) | undefined;
  private active = 0;
  private closed = false;

  constructor(
    private readonly options: DeliveryOptions,
    private readonly logger: Logger,
  ) {}

  add(deliveries: readonly AlertDelivery[]): Promise<void> {
    for (const delivery of deliveries) {
      const id = deliveryId(delivery);
      if (this.pending.has(id) || this.done.has(id)) continue;
      this.pending.add(id);
      this.waiting.push({ delivery, attempt: 1 });
    }
    this.pump();
    return Promise.resolve();
  }

  run(handle: (delivery: AlertDelivery, attempt: number) => Promise<void>): void {
    this.handle = handle;
    this.pump();
  }

  depth(): Promise<number> {
    return Promise.resolve(this.pending.size);
  }

  close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    return Promise.resolve();
  }

  private pump(): void {
    while (this.handle && !this.closed && this.active < this.options.concurrency && this.waiting.length > 0) {
      const item = this.waiting.shift()!;
      this.active += 1;
      this.handle(item.delivery, item.attempt)
        .then(
          () => this.finish(item.delivery),
          (error: unknown) => this.retry(item, error),
        )
        .finally(() => {
          this.active -= 1;
          this.pump();
        });
    }
  }

  private finish(delivery: AlertDelivery): void {
    const id = deliveryId(delivery);
    this.pending.delete(id);
    this.done.add(id);
    if (this.done.size > DONE_REMEMBERED) this.done.delete(this.done.values().next().value!);
  }

  private retry(item: { delivery: AlertDelivery; attempt: number }, error: unknown): void {
    if (this.closed || isPermanent(error) || item.attempt >= this.options.attempts) {
      this.pending.delete(deliveryId(item.delivery));
      return;
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.waiting.push({ delivery: item.delivery, attempt: item.attempt + 1 });
        this.pump();
      },
      this.options.backoffMs * 2 ** (item.attempt - 1),
    );
    timer.unref();
    this.timers.add(timer);
    this.logger.debug({ alert: item.delivery.alert.id, sink: item.delivery.sink }, 'alert delivery scheduled again');
  }
}

/** alerts_detected_total, alert_deliveries_total, alert_queue_depth. */
export class AlertMetrics {
  readonly detected: Counter<'type'>;
  readonly deliveries: Counter<'sink' | 'outcome'>;

  constructor(metrics: Metrics, depth: () => Promise<number>) {
    this.detected = new Counter({
      name: 'alerts_detected_total',
      help: 'Changes of watched companies the monitoring job detected (and recorded), by type.',
      labelNames: ['type'] as const,
      registers: [metrics.registry],
    });
    this.deliveries = new Counter({
      name: 'alert_deliveries_total',
      help: 'Alert delivery attempts by sink (webhook-<digest of its URL>, bitrix24): delivered, failed (retried later) or given_up.',
      labelNames: ['sink', 'outcome'] as const,
      registers: [metrics.registry],
    });
    new Gauge({
      name: 'alert_queue_depth',
      help: 'Alert deliveries waiting, delayed for a retry, or under way.',
      registers: [metrics.registry],
      async collect() {
        this.set(await depth().catch(() => 0));
      },
    });
  }
}

/**
 * Hands every alert to every sink (CoreServices.alertSinks: this module's webhooks, the CRM's writer …) through the
 * queue: at least once, each delivery retried with backoff until it succeeds or runs out of attempts. The queue is made
 * when first needed, and only when there is a sink.
 */
export class AlertDispatcher {
  private queue: AlertQueue | undefined;
  private running = false;
  readonly metrics: AlertMetrics;

  constructor(
    private readonly makeQueue: () => AlertQueue,
    private readonly sinks: () => readonly AlertSink[],
    private readonly options: DeliveryOptions,
    private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.metrics = new AlertMetrics(metrics, () => this.queue?.depth() ?? Promise.resolve(0));
  }

  /** Queues each alert for each sink; answers the deliveries queued (none without sinks). */
  async emit(alerts: readonly CompanyAlert[]): Promise<number> {
    const sinks = this.sinks();
    if (alerts.length === 0 || sinks.length === 0) return 0;
    const deliveries = alerts.flatMap((alert) => sinks.map((sink) => ({ alert, sink: sink.name })));
    await this.ensureQueue().add(deliveries);
    return deliveries.length;
  }

  /** Starts delivering (every replica delivers; with Redis any of them takes any delivery). Idempotent. */
  start(): void {
    if (this.running || this.sinks().length === 0) return;
    this.running = true;
    this.ensureQueue().run((delivery, attempt) => this.deliver(delivery, attempt));
  }

  async close(): Promise<void> {
    await this.queue?.close();
  }

  private ensureQueue(): AlertQueue {
    this.queue ??= this.makeQueue();
    return this.queue;
  }

  private async deliver(delivery: AlertDelivery, attempt: number): Promise<void> {
    const sink = this.sinks().find((candidate) => candidate.name === delivery.sink);
    const context = { alert: delivery.alert.id, type: delivery.alert.type, sink: delivery.sink, attempt };
    if (!sink) {
      // With Redis any replica may take the job: one that does not know the sink (a rolling deploy adding a webhook,
      // a URL whose credentials changed) must not complete it. Retried, so a replica that knows it takes it; given up
      // (logged) after the attempts when no replica does any more.
      this.logger.warn(context, 'alert delivery postponed: this replica does not know its sink');
      throw new Error(`alert sink ${delivery.sink} is not configured on this replica`);
    }
    try {
      await sink.deliver(delivery.alert);
      this.metrics.deliveries.inc({ sink: sink.name, outcome: 'delivered' });
      this.logger.info(context, 'alert delivered');
    } catch (error) {
      const last = isPermanent(error) || attempt >= this.options.attempts;
      this.metrics.deliveries.inc({ sink: sink.name, outcome: last ? 'given_up' : 'failed' });
      const err = { message: (error as Error)?.message ?? String(error) };
      if (last) this.logger.error({ ...context, err }, 'alert delivery given up');
      else this.logger.warn({ ...context, err }, 'alert delivery failed; retrying with backoff');
      throw error;
    }
  }
}
