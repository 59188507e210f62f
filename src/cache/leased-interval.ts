import type { Logger } from '../observability/logger.ts';
import type { Lease } from './lease.ts';
import type { CacheStore } from './store.ts';

/**
 * A background job run every interval by ONE replica: the one holding a lease in the shared store (with one Redis,
 * every replica may be configured alike; in memory the one process always holds it). The lease outlives an interval
 * by a fifth (at least a second): the holder renews it at each tick and while a run lasts, so a long run never loses
 * it halfway; when the holder dies it lapses, and the next replica to tick takes it over. A failed run is logged and
 * retried at the next interval.
 */
export class LeasedInterval {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly lease: Lease;
  private readonly leaseMs: number;

  constructor(
    cache: CacheStore,
    leaseName: string,
    private readonly intervalMs: number,
    private readonly run: () => Promise<unknown>,
    private readonly logger: Logger,
    private readonly what: string,
  ) {
    this.lease = cache.lease(leaseName);
    this.leaseMs = intervalMs + Math.max(1_000, intervalMs / 5);
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runIfHolder()
        .catch((error: unknown) => this.logger.warn({ err: error }, `${this.what} failed; retrying at the next interval`))
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await this.lease.release();
  }

  private async runIfHolder(): Promise<void> {
    if (!(await this.lease.hold(this.leaseMs))) return;
    const renewal = setInterval(() => void this.lease.hold(this.leaseMs), Math.max(500, this.leaseMs / 3));
    renewal.unref();
    try {
      await this.run();
    } finally {
      clearInterval(renewal);
    }
  }
}
