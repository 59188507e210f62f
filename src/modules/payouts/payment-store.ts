import { CachedFetch, type Fetched } from '../../cache/cached-fetch.ts';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { JumpCalls } from './jump-calls.ts';
import type { PaymentModel } from './model.ts';
import type { JumpPayment } from './vendor/schemas.ts';

export interface PaymentStoreSettings {
  /** How often a payout that is not final may be read again (JUMP_STATUS_REFRESH, at least the vendor's 1 min). */
  statusRefreshMs: number;
  /** The same for payouts waiting for a person (status 4) or failed (5) (JUMP_STATUS_REFRESH_ACTION_NEEDED). */
  actionNeededRefreshMs: number;
  /** How long payouts are kept (final ones are never read again while kept) (CACHE_TTL_FINAL_PAYMENTS). */
  keepMs: number;
}

export interface PaymentStoreDeps {
  cache: CacheStore;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

/** A stored payout: read at `fetchedAt`; `attemptedAt` when a later refresh failed (it counts as that minute's read). */
type StoredPayment = Fetched<JumpPayment | null> & { attemptedAt?: number };

/** Status ids that wait for a person rather than for the payment rails. */
const ACTION_NEEDED = new Set([4, 5]);

/**
 * The cached fetch answers a failed refresh from the store only within a stale-if-error margin past the TTL. Every
 * stored payout may answer (the TTL is how long it is kept), so the margin is the least there is.
 */
const STALE_IF_ERROR_MS = 1;

export function actionNeeded(payment: JumpPayment): boolean {
  return !payment.is_final && ACTION_NEEDED.has(payment.status.id);
}

/**
 * The status-polling etiquette of the vendor ("ask at most once a minute per payout, stop when is_final"), kept in
 * the shared cache store so every replica honours it together:
 * - a payout read from Jump.Finance (single read, list, create, repeat) is stored with the time it was read;
 * - `get` answers from the store while the payout is final, or was read less than JUMP_STATUS_REFRESH ago
 *   (JUMP_STATUS_REFRESH_ACTION_NEEDED for "awaiting confirmation" and "payout error", which wait for people);
 *   only then does it call GET /payments/{id}, once per payout however many operations ask at the same moment;
 * - if that call fails, the stored payout answers (its `statusCheckedAt` tells how old it is), and the attempt
 *   counts as this minute's read: the vendor is not asked again until the refresh interval has passed.
 * A payout the vendor does not have (null) is not stored.
 */
export class PaymentStore {
  private readonly fetch: CachedFetch<JumpPayment | null>;

  constructor(
    calls: JumpCalls,
    private readonly deps: PaymentStoreDeps,
    private readonly settings: PaymentStoreSettings,
  ) {
    this.fetch = new CachedFetch<JumpPayment | null>({
      label: 'jump:payments.get',
      vendor: 'jump-finance',
      cache: deps.cache,
      metrics: deps.metrics,
      now: deps.now,
      key: (id) => `${CACHE_KEY_VERSION}:jump:payment:${id}`,
      fetch: async ([id]) => new Map([[id!, await calls.call((client) => client.getPayment(Number(id)))]]),
      ttlOf: (payment) => (payment ? settings.keepMs : 0),
      staleIfErrorMs: STALE_IF_ERROR_MS,
      isFresh: (entry, _maxAgeMs, now) => this.isFresh(entry, now),
      isValue: isPayment,
      onStale: (id, entry) => this.countAttempt(id, entry),
    });
  }

  async get(id: number, stats?: OperationStats): Promise<PaymentModel | null> {
    const entry = await this.fetch.get(String(id), { maxAgeMs: this.settings.keepMs, stats });
    return entry.value ? { value: entry.value, fetchedAt: entry.fetchedAt } : null;
  }

  /** Stores a payout just read from the vendor by another call (create, repeat, by-key lookup): read now. */
  async put(payment: JumpPayment): Promise<PaymentModel> {
    const { fetchedAt } = await this.fetch.put(String(payment.id), payment);
    return { value: payment, fetchedAt };
  }

  /** Stores a page of payouts read from a list call (each counts as read now). */
  async putMany(payments: readonly JumpPayment[]): Promise<PaymentModel[]> {
    const at = this.deps.now();
    await this.fetch.putMany(
      payments.map((payment) => [String(payment.id), payment] as const),
      at,
    );
    return payments.map((value) => ({ value, fetchedAt: at }));
  }

  /** Whether a stored payout may be served without asking the vendor again. */
  private isFresh(entry: StoredPayment, now: number): boolean {
    const payment = entry.value;
    if (!payment) return false;
    if (payment.is_final) return true;
    const interval = actionNeeded(payment) ? this.settings.actionNeededRefreshMs : this.settings.statusRefreshMs;
    return Math.max(0, now - Math.max(entry.fetchedAt, entry.attemptedAt ?? 0)) < interval;
  }

  /**
   * A refresh failed and the stored payout answered: the attempt counts as this minute's read (the vendor's rule),
   * so the stored status is not asked for again until the refresh interval has passed, however many queries arrive.
   */
  private countAttempt(id: string, entry: StoredPayment): void {
    this.deps.logger.warn({ vendor: 'jump-finance', paymentId: Number(id) }, 'payout status refresh failed; answering the stored status');
    const attempted: StoredPayment = { fetchedAt: entry.fetchedAt, value: entry.value, attemptedAt: this.deps.now() };
    void this.deps.cache.setMany([{ key: this.fetch.key(id), value: attempted, ttlMs: this.settings.keepMs + STALE_IF_ERROR_MS }]);
  }
}

function isPayment(value: unknown): value is JumpPayment {
  return typeof value === 'object' && value !== null && typeof (value as JumpPayment).id === 'number';
}
