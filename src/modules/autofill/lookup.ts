import type { Quota } from '../../cache/quota.ts';
import type { RequisitesEntry } from '../../domain/company.ts';
import { VendorError } from '../../errors.ts';
import type { Logger } from '../../observability/logger.ts';
import type { ModuleRuntime } from '../contract.ts';
import { autofillAnswer, retryAfterOf, type AutofillAnswer } from './answer.ts';
import type { AutofillMetrics } from './metrics.ts';

export type AutofillResult =
  | { kind: 'found'; answer: AutofillAnswer }
  | { kind: 'not_found' }
  /** The day's vendor budget is spent and nothing (not even an expired entry) is cached. */
  | { kind: 'budget_exhausted'; retryAfterSeconds: number }
  /** This client's paid lookups of the day are spent and nothing is cached. */
  | { kind: 'client_exhausted'; retryAfterSeconds: number }
  /** The vendor failed (down, limited, not configured) and nothing is cached. */
  | { kind: 'unavailable'; retryAfterSeconds: number };

/** Moscow time has no daylight saving: the budget's day runs from midnight to midnight UTC+3. */
const MOSCOW_OFFSET_MS = 3 * 3_600_000;
const DAY_MS = 86_400_000;

/** The budget's day (Moscow date), and the seconds until the next one begins. */
export function budgetDay(now: number): { key: string; secondsLeft: number } {
  const moscow = now + MOSCOW_OFFSET_MS;
  return { key: new Date(moscow).toISOString().slice(0, 10), secondsLeft: Math.ceil((DAY_MS - (moscow % DAY_MS)) / 1000) };
}

interface Read {
  entry?: RequisitesEntry;
  error?: unknown;
  vendorCalls: number;
}

/**
 * One INN for the public route, through the graph's own requisites loaders and cache (ModuleRuntime.withContext): a
 * cached INN answers without touching the budget; otherwise a call is reserved from the day's budget
 * (AUTOFILL_DAILY_VENDOR_CALLS, shared by the replicas) before the lookup may pay, and given back when it did not (the
 * INN joined a call already in flight). Past the budget the lookup is cache-only: an expired entry answers marked
 * stale, anything else is refused without a call.
 */
export class AutofillLookup {
  constructor(
    private readonly runtime: ModuleRuntime,
    private readonly budget: Quota,
    private readonly dailyVendorCalls: number,
    private readonly perClientDay: Quota,
    private readonly metrics: AutofillMetrics,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /** `client`: the key the visitor's paid lookups are counted under (AUTOFILL_CLIENT_DAILY_VENDOR_CALLS). */
  async lookup(inn: string, client: string, signal?: AbortSignal): Promise<AutofillResult> {
    const cached = await this.read(inn, { cacheOnly: true, signal });
    if (cached.entry && !cached.entry.stale) return this.answer(inn, cached.entry);
    const day = budgetDay(this.now());
    const allowance = await this.allowance(`${day.key}:${client}`);
    if (allowance !== 'ok' || !(await this.reserve(day.key))) {
      if (cached.entry) return this.answer(inn, cached.entry);
      return { kind: allowance === 'ok' ? 'budget_exhausted' : 'client_exhausted', retryAfterSeconds: day.secondsLeft };
    }
    const fetched = await this.read(inn, { cacheOnly: false, signal });
    await this.settle(day.key, fetched);
    if (fetched.entry) return this.answer(inn, fetched.entry);
    if (!(fetched.error instanceof VendorError)) this.logger.error({ err: fetched.error }, 'autofill: the lookup failed');
    return { kind: 'unavailable', retryAfterSeconds: retryAfterOf(fetched.error instanceof VendorError ? fetched.error : undefined) };
  }

  private answer(inn: string, entry: RequisitesEntry): AutofillResult {
    const answer = autofillAnswer(inn, entry);
    return answer ? { kind: 'found', answer } : { kind: 'not_found' };
  }

  private async read(inn: string, options: { cacheOnly: boolean; signal: AbortSignal | undefined }): Promise<Read> {
    const { value, stats } = await this.runtime.withContext(
      (context) =>
        context.requisites.req.load(inn).then(
          (entry): Omit<Read, 'vendorCalls'> => ({ entry }),
          (error: unknown): Omit<Read, 'vendorCalls'> => ({ error }),
        ),
      { cacheOnly: options.cacheOnly, ...(options.signal ? { signal: options.signal } : {}) },
    );
    return { ...value, vendorCalls: stats.vendorCalls };
  }

  /** One paid lookup of this client's day (one visitor cannot spend the whole budget); counted, when it cannot be, as allowed. */
  private async allowance(key: string): Promise<'ok' | 'exhausted'> {
    try {
      return (await this.perClientDay.take(key)).allowed ? 'ok' : 'exhausted';
    } catch (error) {
      this.logger.warn({ err: error }, "autofill: a client's daily lookups could not be counted");
      return 'ok';
    }
  }

  /** One call from the day's budget; a budget that cannot be counted (Redis down) pays nothing: fail closed. */
  private async reserve(day: string): Promise<boolean> {
    if (this.dailyVendorCalls === 0) return false;
    try {
      return (await this.budget.take(day)).allowed;
    } catch (error) {
      this.logger.warn({ err: error }, 'autofill: the daily budget could not be counted; answering from the cache only');
      return false;
    }
  }

  /**
   * The reservation was one call: given back only when the lookup was answered without one (it joined a call already
   * made or stored), topped up when more were made. A lookup that ended without an answer (the visitor left, the
   * deadline passed, the vendor failed) keeps it: its call may still go out, charged to nobody else.
   */
  private async settle(day: string, { vendorCalls, entry }: Read): Promise<void> {
    if (vendorCalls > 0) this.metrics.budgetSpent.inc(vendorCalls);
    try {
      if (vendorCalls === 0 && entry) await this.budget.giveBack(day);
      else if (vendorCalls > 1) await this.budget.take(day, vendorCalls - 1);
    } catch (error) {
      this.logger.warn({ err: error }, 'autofill: the daily budget could not be settled');
    }
  }
}
