import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import { LeasedInterval } from '../../cache/leased-interval.ts';
import type { Logger } from '../../observability/logger.ts';
import type { MonitoringService } from './service.ts';
import type { ChangeTracker } from './tracker.ts';

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
  /** Compares each changed company before and after its eviction and reports the differences (alerts). */
  tracker?: ChangeTracker;
}

/** Kontur.Focus dates its change feeds by the Moscow calendar day. */
const moscowDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' });
const isoDay = (ms: number) => moscowDay.format(new Date(ms));
const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * Background job (FOCUS_MONITORING_INTERVAL): pulls the req and egrDetails change lists for every day since its
 * last run and evicts the changed companies from the cache, so cached data of watched companies stays correct; with a
 * tracker, each changed company's state before the eviction is compared with the registry's after it, and the
 * differences are recorded and sent to the alert sinks. A failed run is logged and retried at the next interval; the
 * job keeps running.
 */
export class MonitoringJob {
  private readonly now: () => number;
  private readonly runner: LeasedInterval;
  private readonly tracker: ChangeTracker | undefined;

  constructor(
    private readonly monitoring: MonitoringService,
    private readonly cache: CacheStore,
    private readonly logger: Logger,
    options: MonitoringJobOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.tracker = options.tracker;
    this.runner = new LeasedInterval(cache, LEASE_NAME, options.intervalMs, () => this.runOnce(), logger, 'monitoring run');
  }

  start(): void {
    this.runner.start();
  }

  stop(): Promise<void> {
    return this.runner.stop();
  }

  /** One pass: every day after the last completed one through today. Answers the INNs evicted. */
  async runOnce(): Promise<string[]> {
    const today = isoDay(this.now());
    const yesterday = addDays(today, -1);
    // A new state object per saved day: what the cache stores is frozen, never changed afterwards.
    let state = await this.loadState(today);
    const evicted = new Set<string>();
    for (let day = addDays(state.completedThrough, 1); day <= today; day = addDays(day, 1)) {
      const sources = await this.changesOf(day);
      const changed = [...sources.keys()];
      const prepared = changed.length > 0 ? await this.tracker?.prepare(changed) : undefined;
      await this.monitoring.evict(changed);
      if (prepared) await this.tracker!.complete(prepared, day, (inn) => `kontur-focus ${sources.get(inn)!}`);
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

  /** The INNs changed on a day, each with the feed that listed it first (req/mon before egrDetails/mon). */
  private async changesOf(day: string): Promise<Map<string, string>> {
    const [requisites, details] = await Promise.all([
      this.monitoring.changedInns('req', day),
      this.monitoring.changedInns('egrDetails', day),
    ]);
    const sources = new Map<string, string>();
    for (const inn of requisites) sources.set(inn, 'req/mon');
    for (const inn of details) if (!sources.has(inn)) sources.set(inn, 'egrDetails/mon');
    return sources;
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
