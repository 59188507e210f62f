import { createClient } from '@redis/client';
import { Queue, Worker, createNodeRedisClient } from 'bullmq';
import type { Logger } from '../../observability/logger.ts';
import type { Bitrix24Event } from './processor.ts';

/**
 * Where trusted events wait to be processed: acknowledged at once to Bitrix24 (it never retries a delivery), processed
 * from here, retried with backoff when Bitrix24 or a vendor fails, one job per (portal, event, entity) within the
 * dedup window.
 */
export interface EventQueue {
  readonly kind: 'redis' | 'memory';
  add(event: Bitrix24Event): Promise<void>;
  /** Starts consuming: `handle` gets each event once (again after a failure, with backoff). */
  run(handle: (event: Bitrix24Event) => Promise<void>): void;
  /** Events waiting or being processed. */
  depth(): Promise<number>;
  close(): Promise<void>;
}

export interface QueueOptions {
  dedupWindowMs: number;
  /** Attempts of one event before it is given up (logged). */
  attempts: number;
  /** First retry after this; doubling. */
  backoffMs: number;
  /** Events processed at once (they wait together in the processor's gathering window). */
  concurrency: number;
}

export const QUEUE_DEFAULTS: QueueOptions = { dedupWindowMs: 1_000, attempts: 8, backoffMs: 1_000, concurrency: 500 };

function jobId(event: Bitrix24Event): string {
  return `${event.portal}:${event.event}:${event.entityId}`;
}

/**
 * BullMQ on the deployment's Redis (CACHE_URL): durable across restarts, shared by the replicas (any of them may
 * process any event), with BullMQ's own retries, backoff and deduplication. Driven through node-redis, the client the
 * cache already uses, with BullMQ's adapter (no second Redis client library).
 */
export class RedisEventQueue implements EventQueue {
  readonly kind = 'redis';
  private readonly queue: Queue;
  private worker: Worker | undefined;
  private readonly connection: ReturnType<typeof createNodeRedisClient>;
  private readonly raw: ReturnType<typeof createClient>;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly options: QueueOptions,
    private readonly logger: Logger,
  ) {
    this.raw = createClient({ url });
    this.raw.on('error', (error: unknown) =>
      this.logger.warn({ err: { message: (error as Error).message } }, 'Bitrix24 queue: Redis error'),
    );
    this.connection = createNodeRedisClient(this.raw);
    this.queue = new Queue('bitrix24-events', { connection: this.connection, prefix });
  }

  async add(event: Bitrix24Event): Promise<void> {
    await this.queue.add(event.event, event, {
      // Debounce: events of one entity within the window become one job, run once the window has passed. The key
      // lapses with the window, never later: a change made while (or after) the job runs gets a job of its own.
      delay: this.options.dedupWindowMs,
      deduplication: { id: jobId(event), ttl: this.options.dedupWindowMs, extend: true, replace: true },
      attempts: this.options.attempts,
      backoff: { type: 'exponential', delay: this.options.backoffMs },
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 5_000 },
    });
  }

  run(handle: (event: Bitrix24Event) => Promise<void>): void {
    this.worker = new Worker<Bitrix24Event>('bitrix24-events', async (job) => handle(job.data), {
      connection: this.connection,
      prefix: this.prefix,
      concurrency: this.options.concurrency,
    });
    this.worker.on('failed', (job: { data: Bitrix24Event; attemptsMade: number } | undefined, error: Error) =>
      this.logger.warn(
        { event: job?.data.event, entityId: job?.data.entityId, attempt: job?.attemptsMade, err: { message: error.message } },
        'Bitrix24 event failed',
      ),
    );
    this.worker.on('error', (error) => this.logger.warn({ err: { message: error.message } }, 'Bitrix24 queue worker error'));
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

/**
 * Without Redis: an in-process queue (events of one entity are one job while it waits; the processor's gathering
 * window does the rest). It is NOT durable — events queued when the process stops are lost (the
 * reconciliation job, BITRIX24_RECONCILE_INTERVAL, catches their changes up) — and one process serves one portal's
 * events. Hand-written (~50 lines) rather than a library: it is the fallback of the BullMQ queue with the same
 * retry, backoff and dedup semantics, and every in-memory queue library would bring its own different ones.
 */
export class MemoryEventQueue implements EventQueue {
  readonly kind = 'memory';
  private readonly waiting: Array<{ event: Bitrix24Event; attempt: number }> = [];
  /** Entities with a job still waiting: a new event for one of them is the same job. */
  private readonly waitingIds = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private handle: ((event: Bitrix24Event) => Promise<void>) | undefined;
  private active = 0;
  private closed = false;

  constructor(
    private readonly options: QueueOptions,
    private readonly logger: Logger,
  ) {}

  add(event: Bitrix24Event): Promise<void> {
    const id = jobId(event);
    if (this.waitingIds.has(id)) return Promise.resolve();
    this.waitingIds.add(id);
    this.waiting.push({ event, attempt: 1 });
    this.pump();
    return Promise.resolve();
  }

  run(handle: (event: Bitrix24Event) => Promise<void>): void {
    this.handle = handle;
    this.pump();
  }

  depth(): Promise<number> {
    return Promise.resolve(this.waiting.length + this.active + this.timers.size);
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
      this.waitingIds.delete(jobId(item.event));
      this.active += 1;
      void this.handle(item.event)
        .catch((error: unknown) => this.retry(item, error))
        .finally(() => {
          this.active -= 1;
          this.pump();
        });
    }
  }

  private retry(item: { event: Bitrix24Event; attempt: number }, error: unknown): void {
    const message = (error as Error)?.message ?? String(error);
    if (item.attempt >= this.options.attempts) {
      this.logger.error(
        { event: item.event.event, entityId: item.event.entityId, attempts: item.attempt, err: { message } },
        'Bitrix24 event given up',
      );
      return;
    }
    this.logger.warn(
      { event: item.event.event, entityId: item.event.entityId, attempt: item.attempt, err: { message } },
      'Bitrix24 event failed',
    );
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.waiting.push({ event: item.event, attempt: item.attempt + 1 });
        this.pump();
      },
      this.options.backoffMs * 2 ** (item.attempt - 1),
    );
    this.timers.add(timer);
  }
}
