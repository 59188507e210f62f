import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { Lease } from '../../cache/lease.ts';
import type { Logger } from '../../observability/logger.ts';
import type { MonitoringService } from './service.ts';

const DAY_MS = 86_400_000;
/** The job's progress outlives restarts and is shared by replicas through the cache store. */
const STATE_KEY = `${CACHE_KEY_VERSION}:monitoring:state`;
const STATE_TTL_MS = 90 * DAY_MS;
/** The replicas' one right to run the job (a lease in the shared store). */
const LEASE_NAME = `${CACHE_KEY_VERSION}:monitoring:runner`;
/** How far back a first run, or a run after a long stop, looks. */
const MAX_CATCH_UP_DAYS = 30;

interface JobState {
  /**
   * Last day whose changes were all applied. Yesterday and today are polled again on every run: a company can change
   * twice in a day, and the vendor may list a change on a day after that day ended.
   */
  completedThrough: string;
}

export interface MonitoringJobOptions {
  intervalMs: number;
  now?: () => number;
}

/** Kontur.Focus dates its change feeds by the Moscow calendar day. */
const moscowDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' });
const isoDay = (ms: number) => moscowDay.format(new Date(ms));
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Background job (FOCUS_MONITORING_INTERVAL): pulls the req and egrDetails change lists for every day since its
 * last run and evicts the changed companies from the cache, so cached data of watched companies stays correct.
 * A failed run is logged and retried at the next interval; the job keeps running.
 */
export class MonitoringJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private readonly now: () => number;
  private readonly lease: Lease;
  /**
   * The lease outlives one interval by a fifth (at least a second), so the holder renews it at each tick and keeps it;
   * when the holder dies, it lapses and the next replica to tick takes it over.
   */
  private readonly leaseMs: number;

  constructor(
    private readonly monitoring: MonitoringService,
    private readonly cache: CacheStore,
    private readonly logger: Logger,
    private readonly options: MonitoringJobOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.lease = cache.lease(LEASE_NAME);
    this.leaseMs = options.intervalMs + Math.max(1_000, options.intervalMs / 5);
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      if (this.stopped) return;
      this.running = this.runIfHolder()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'monitoring run failed; retrying at the next interval'))
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          this.timer = setTimeout(tick, this.options.intervalMs);
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

  /**
   * Runs only in the replica holding the lease (with one Redis, every replica may be configured alike): the others
   * tick, find it held, and wait. The lease is renewed while a run lasts, so a long run never loses it halfway.
   */
  private async runIfHolder(): Promise<void> {
    if (!(await this.lease.hold(this.leaseMs))) return;
    const renewal = setInterval(() => void this.lease.hold(this.leaseMs), Math.max(500, this.leaseMs / 3));
    renewal.unref();
    try {
      await this.runOnce();
    } finally {
      clearInterval(renewal);
    }
  }

  /** One pass: every day after the last completed one through today. Answers the INNs evicted. */
  async runOnce(): Promise<string[]> {
    const today = isoDay(this.now());
    const yesterday = addDays(today, -1);
    // A new state object per saved day: what the cache stores is frozen, never changed afterwards.
    let state = await this.loadState(today);
    const evicted = new Set<string>();
    for (let day = addDays(state.completedThrough, 1); day <= today; day = addDays(day, 1)) {
      const changed = await this.changesOf(day);
      await this.monitoring.evict(changed);
      for (const inn of changed) evicted.add(inn);
      // Days before yesterday are final; yesterday and today are read again next time.
      if (day < yesterday) {
        state = { completedThrough: day };
        await this.saveState(state);
      }
    }
    await this.saveState(state);
    if (evicted.size > 0) this.logger.info({ evicted: evicted.size, through: today }, 'monitoring: evicted changed companies');
    return [...evicted];
  }

  private async changesOf(day: string): Promise<string[]> {
    const [requisites, details] = await Promise.all([
      this.monitoring.changedInns('req', day),
      this.monitoring.changedInns('egrDetails', day),
    ]);
    return [...new Set([...requisites, ...details])];
  }

  private async loadState(today: string): Promise<JobState> {
    const [saved] = await this.cache.getMany<JobState>([STATE_KEY]);
    const oldest = addDays(today, -MAX_CATCH_UP_DAYS);
    if (!saved || typeof saved.completedThrough !== 'string') {
      // First run: nothing cached predates it by much, so yesterday's changes are the oldest that matter.
      return { completedThrough: addDays(today, -2) };
    }
    return { completedThrough: saved.completedThrough < oldest ? oldest : saved.completedThrough };
  }

  private async saveState(state: JobState): Promise<void> {
    await this.cache.setMany([{ key: STATE_KEY, value: state, ttlMs: STATE_TTL_MS }]);
  }
}
