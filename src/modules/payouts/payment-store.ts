import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import type { JumpClient } from './vendor/client.ts';
import type { JumpPayment } from './vendor/schemas.ts';
import type { PaymentModel } from './model.ts';

export interface PaymentStoreSettings {
  /** How often a payout that is not final may be read again (JUMP_STATUS_REFRESH, at least the vendor's 1 min). */
  statusRefreshMs: number;
  /** The same for payouts waiting for a person (status 4) or failed (5) (JUMP_STATUS_REFRESH_ACTION_NEEDED). */
  actionNeededRefreshMs: number;
  /** How long payouts are kept (final ones are never read again while kept) (CACHE_TTL_FINAL_PAYMENTS). */
  keepMs: number;
}

/** Status ids that wait for a person rather than for the payment rails. */
const ACTION_NEEDED = new Set([4, 5]);

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
 * - if that call fails, the stored payout answers (its `statusCheckedAt` tells how old it is).
 */
export class PaymentStore {
  private readonly inFlight = new Map<number, Promise<PaymentModel | null>>();

  constructor(
    private readonly client: JumpClient,
    private readonly cache: CacheStore,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly now: () => number,
    private readonly settings: PaymentStoreSettings,
  ) {}

  key(id: number): string {
    return `${CACHE_KEY_VERSION}:jump:payment:${id}`;
  }

  /** Whether a stored payout may be served without asking the vendor again. */
  isFresh(model: PaymentModel): boolean {
    if (model.value.is_final) return true;
    const interval = actionNeeded(model.value) ? this.settings.actionNeededRefreshMs : this.settings.statusRefreshMs;
    return Math.max(0, this.now() - Math.max(model.fetchedAt, model.attemptedAt ?? 0)) < interval;
  }

  async stored(id: number): Promise<PaymentModel | undefined> {
    const [cached] = await this.cache.getMany<PaymentModel>([this.key(id)]);
    return isModel(cached) ? cached : undefined;
  }

  async get(id: number, stats?: OperationStats): Promise<PaymentModel | null> {
    const cached = await this.stored(id);
    if (cached && this.isFresh(cached)) {
      this.count('hit', stats);
      return cached;
    }
    this.count('miss', stats);
    const running = this.inFlight.get(id);
    if (running) {
      this.metrics.coalesced.inc({ method: 'jump:payments.get' });
      if (stats) stats.coalesced += 1;
      return running;
    }
    if (stats) stats.vendorCalls += 1;
    const fetching = this.client
      .getPayment(id)
      .then(async (payment) => (payment ? this.put(payment) : null))
      .catch(async (error: unknown) => {
        if (!cached) throw error;
        this.logger.warn({ vendor: 'jump-finance', paymentId: id, err: error }, 'payout status refresh failed; answering the stored status');
        if (stats) stats.staleServed += 1;
        // The attempt counts as this minute's read (the vendor's rule): the stored status is not asked for again until
        // the refresh interval has passed, however many queries arrive meanwhile.
        const retried: PaymentModel = { ...cached, attemptedAt: this.now() };
        await this.cache.setMany([{ key: this.key(id), value: retried, ttlMs: this.settings.keepMs }]);
        return cached;
      })
      .finally(() => this.inFlight.delete(id));
    this.inFlight.set(id, fetching);
    return fetching;
  }

  /** Stores a payout just read from the vendor (read now). */
  async put(payment: JumpPayment): Promise<PaymentModel> {
    const model: PaymentModel = { value: payment, fetchedAt: this.now() };
    await this.cache.setMany([{ key: this.key(payment.id), value: model, ttlMs: this.settings.keepMs }]);
    return model;
  }

  /** Stores a page of payouts read from a list call (each counts as read now). */
  async putMany(payments: readonly JumpPayment[]): Promise<PaymentModel[]> {
    const at = this.now();
    const models = payments.map((value) => ({ value, fetchedAt: at }));
    await this.cache.setMany(models.map((model) => ({ key: this.key(model.value.id), value: model, ttlMs: this.settings.keepMs })));
    return models;
  }

  private count(result: 'hit' | 'miss', stats: OperationStats | undefined): void {
    this.metrics.cacheLookups.inc({ method: 'jump:payments.get', result });
    if (stats) {
      if (result === 'hit') stats.cacheHits += 1;
      else stats.cacheMisses += 1;
    }
  }
}

function isModel(value: unknown): value is PaymentModel {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as PaymentModel).fetchedAt === 'number' &&
    typeof (value as PaymentModel).value === 'object' &&
    typeof (value as PaymentModel).value?.id === 'number'
  );
}
