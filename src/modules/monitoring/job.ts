import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { Logger } from '../../observability/logger.ts';
import type { MonitoringService } from './service.ts';

const DAY_MS = 86_400_000;
/** The job's progress outlives restarts and is shared by replicas through the cache store. */
const STATE_KEY = `${CACHE_KEY_VERSION}:monitoring:state`;
const STATE_TTL_MS = 90 * DAY_MS;
/** How far back a first run, or a run after a long stop, looks. */
const MAX_CATCH_UP_DAYS = 30;

interface JobState {
  /** Last day whose changes were all applied (a finished day never changes again). */
  completedThrough: string;
  /** Today's INNs already evicted: today is polled again on every run, its new changes only are applied. */
  today: string;
  evictedToday: string[];
}

export interface MonitoringJobOptions {
  intervalMs: number;
  now?: () => number;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Background job (FOCUS_MONITORING_INTERVAL): pulls the req and egrDetails change lists for every day since its
 * last run and evicts the changed companies from the cache, so cached data of watched companies stays correct.
 * A failed run is logged and retried at the next interval; the job keeps running.
 */
export class MonitoringJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly monitoring: MonitoringService,
    private readonly cache: CacheStore,
    private readonly logger: Logger,
    private readonly options: MonitoringJobOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  start(): void {
    const tick = () => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.warn({ err: error }, 'monitoring run failed; retrying at the next interval'))
        .finally(() => {
          this.running = undefined;
          this.timer = setTimeout(tick, this.options.intervalMs);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: every day from the last completed one to today. Answers the INNs evicted. */
  async runOnce(): Promise<string[]> {
    const today = isoDay(this.now());
    const state = await this.loadState(today);
    const evicted: string[] = [];
    for (let day = nextDay(state.completedThrough); day < today; day = nextDay(day)) {
      // The day that was "today" last run: its changes already applied then are not evicted again.
      const applied = new Set(day === state.today ? state.evictedToday : []);
      const changed = (await this.changesOf(day)).filter((inn) => !applied.has(inn));
      await this.monitoring.evict(changed);
      evicted.push(...changed);
      state.completedThrough = day;
      await this.saveState(state);
    }
    const alreadyEvicted = new Set(state.today === today ? state.evictedToday : []);
    const changedToday = (await this.changesOf(today)).filter((inn) => !alreadyEvicted.has(inn));
    await this.monitoring.evict(changedToday);
    evicted.push(...changedToday);
    await this.saveState({ ...state, today, evictedToday: [...alreadyEvicted, ...changedToday] });
    if (evicted.length > 0) this.logger.info({ evicted: evicted.length, through: today }, 'monitoring: evicted changed companies');
    return [...new Set(evicted)];
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
    const oldest = isoDay(Date.parse(today) - MAX_CATCH_UP_DAYS * DAY_MS);
    if (!saved || typeof saved.completedThrough !== 'string') {
      // First run: nothing cached predates it by much, so yesterday's changes are the oldest that matter.
      return { completedThrough: isoDay(Date.parse(today) - 2 * DAY_MS), today: '', evictedToday: [] };
    }
    return { ...saved, completedThrough: saved.completedThrough < oldest ? oldest : saved.completedThrough };
  }

  private async saveState(state: JobState): Promise<void> {
    await this.cache.setMany([{ key: STATE_KEY, value: state, ttlMs: STATE_TTL_MS }]);
  }
}

function nextDay(day: string): string {
  return isoDay(Date.parse(day) + DAY_MS);
}
