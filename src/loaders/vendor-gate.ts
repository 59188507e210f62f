import { VendorError, type VendorName } from '../errors.ts';
import type { Metrics } from '../observability/metrics.ts';

/**
 * Someone waiting for a vendor slot. The work is formed when a slot frees, not when the claim is made: a batch
 * method then sends everything queued for it at that moment (so a backlog drains in full calls of 100), and work
 * whose every requester has gone is never sent.
 */
export interface SlotClaim {
  /** 0 when the claimant would use a slot now; else how long until it would (a batch waiting to fill up). */
  readyInMs(): number;
  /** The work to run in the slot now, or undefined when nothing is left to send. */
  take(): (() => Promise<void>) | undefined;
}

export interface VendorGateOptions {
  vendor: VendorName;
  /** Calls in flight at once (FOCUS_MAX_CONCURRENCY). */
  concurrency: number;
  /** Queued units (identifiers, single fetches) past which new work is shed (FOCUS_MAX_QUEUE). */
  maxQueue: number;
  /** The variable that sets maxQueue, named in the shed error. */
  maxQueueVariable: string;
  metrics: Metrics;
}

/** Assumed duration of a call until one was measured (for the retry hint of shed work). */
const INITIAL_CALL_SECONDS = 1;
const CALLS_PER_BATCH = 100;

/**
 * The concurrency limit of one vendor, shared by its batch methods, pages, documents and usage. Unlike a plain
 * semaphore (p-limit), it hands a free slot to the oldest ready claimant and lets it decide then what to send;
 * it knows how much is queued, sheds past FOCUS_MAX_QUEUE, and reports queue depth.
 *
 * Written here rather than taken from a library: p-limit and p-queue run work fixed when it was queued, and
 * neither can form a batch at dequeue time or drop work whose requesters left.
 */
export class VendorGate {
  private active = 0;
  private readonly claims: SlotClaim[] = [];
  private units = 0;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private callSeconds = INITIAL_CALL_SECONDS;

  constructor(private readonly options: VendorGateOptions) {
    options.metrics.vendorQueueDepth.set({ vendor: options.vendor }, 0);
  }

  /** Units waiting for a slot (identifiers of batch methods, single fetches). */
  get queued(): number {
    return this.units;
  }

  /** Calls running now. */
  get running(): number {
    return this.active;
  }

  /** Counts units in or out of the queue (claimants call this as they queue, send or drop work). */
  adjustQueued(delta: number): void {
    this.units = Math.max(0, this.units + delta);
    this.options.metrics.vendorQueueDepth.set({ vendor: this.options.vendor }, this.units);
  }

  /**
   * Throws VENDOR_RATE_LIMITED (shed, nothing sent) when `units` more would pass FOCUS_MAX_QUEUE, with the time the
   * queue needs to drain as retryAfterSeconds.
   */
  admit(units: number, method: string): void {
    if (this.units + units <= this.options.maxQueue) return;
    this.options.metrics.vendorQueueShed.inc({ vendor: this.options.vendor, method }, units);
    const rounds = Math.ceil(this.units / CALLS_PER_BATCH / this.options.concurrency);
    const retryAfterSeconds = Math.max(1, Math.ceil(rounds * this.callSeconds));
    throw new VendorError(
      'VENDOR_RATE_LIMITED',
      `Too many lookups are waiting for the vendor (${this.units} queued, ${this.options.maxQueueVariable} ${this.options.maxQueue}); try again in ${retryAfterSeconds} s`,
      { vendor: this.options.vendor, method, retryAfterSeconds, shed: true },
    );
  }

  /** Queues a claimant (once; a claimant already waiting keeps its place) and hands out free slots. */
  claim(claim: SlotClaim): void {
    if (!this.claims.includes(claim)) this.claims.push(claim);
    // A claimant may claim again from inside take(): the running pump sees it at the tail of the list.
    if (!this.pumping) this.pump();
  }

  /** Runs `work` in a slot when one frees, unless `abandoned()` says nobody wants it any more by then. */
  run<T>(work: () => Promise<T>, abandoned: () => boolean = () => false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.adjustQueued(1);
      let taken = false;
      this.claim({
        readyInMs: () => 0,
        take: () => {
          if (taken) return undefined;
          taken = true;
          this.adjustQueued(-1);
          if (abandoned()) {
            reject(new Error('abandoned before it was sent'));
            return undefined;
          }
          return () => work().then(resolve, reject);
        },
      });
    });
  }

  /** Hands free slots to ready claimants, oldest first; schedules a wake-up for claimants filling a batch. */
  pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      this.handOutSlots();
    } finally {
      this.pumping = false;
    }
  }

  private handOutSlots(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    let nextReadyMs = Number.POSITIVE_INFINITY;
    for (let index = 0; index < this.claims.length && this.active < this.options.concurrency;) {
      const claim = this.claims[index]!;
      const readyIn = claim.readyInMs();
      if (readyIn > 0) {
        nextReadyMs = Math.min(nextReadyMs, readyIn);
        index += 1;
        continue;
      }
      this.claims.splice(index, 1);
      // take() may queue the claimant again at the tail (a batch with more queued than one call carries).
      const work = claim.take();
      if (work) this.start(work);
    }
    if (Number.isFinite(nextReadyMs) && this.active < this.options.concurrency) {
      this.timer = setTimeout(() => this.pump(), Math.max(1, nextReadyMs));
      this.timer.unref();
    }
  }

  private start(work: () => Promise<void>): void {
    this.active += 1;
    const started = performance.now();
    void work()
      .catch(() => undefined)
      .finally(() => {
        this.active -= 1;
        // A moving average of call durations, for the retry hint of shed work.
        this.callSeconds = 0.8 * this.callSeconds + 0.2 * ((performance.now() - started) / 1000);
        this.pump();
      });
  }
}
