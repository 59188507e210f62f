import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { JumpPayment } from './vendor/schemas.ts';

/** What the subgraph remembers about an idempotency key (customer_payment_id), in the shared cache store. */
export interface PaymentKeyRecord {
  /** pending: a POST was (or is being) sent and its outcome is not known yet; created: the payout exists. */
  state: 'pending' | 'created';
  paymentId?: number;
  contractorId: number;
  amount: string;
  /** The vendor does not answer it: what was sent with the payout, so `Payment.serviceName` can tell it. */
  serviceName: string | null;
  at: number;
}

/** How long a key's record is kept: long enough for any client retry, and then some. */
export const KEY_RECORD_TTL_MS = 30 * 86_400_000;

/**
 * Idempotency records by customer_payment_id, shared by every replica through the cache store. The key goes into
 * the cache key base64url-encoded: it may hold characters a store key should not (spaces, `:`, braces).
 */
export class PaymentKeys {
  constructor(
    private readonly cache: CacheStore,
    private readonly now: () => number,
  ) {}

  /** The record of a key; anything of another shape is no record. */
  async get(customerPaymentId: string): Promise<PaymentKeyRecord | undefined> {
    const [record] = await this.cache.getMany<PaymentKeyRecord>([this.key(customerPaymentId)]);
    return record && (record.state === 'pending' || record.state === 'created') ? record : undefined;
  }

  /** A POST with this key is about to be sent: until its outcome is known, the next request looks the key up first. */
  async pending(
    customerPaymentId: string,
    request: { contractorId: number; amount: string; serviceName?: string | undefined },
  ): Promise<void> {
    await this.save(customerPaymentId, {
      state: 'pending',
      contractorId: request.contractorId,
      amount: request.amount,
      serviceName: request.serviceName ?? null,
      at: this.now(),
    });
  }

  /** The payout under this key exists: later requests with it are answered with it, without a POST. */
  async created(customerPaymentId: string, payment: JumpPayment, serviceName: string | null): Promise<void> {
    await this.save(customerPaymentId, {
      state: 'created',
      paymentId: payment.id,
      contractorId: payment.contractor?.id ?? 0,
      amount: payment.amount,
      serviceName,
      at: this.now(),
    });
  }

  /** The vendor refused the payout: the key is free for a corrected retry. */
  async release(customerPaymentId: string): Promise<void> {
    await this.cache.deleteMany([this.key(customerPaymentId)]);
  }

  private async save(customerPaymentId: string, record: PaymentKeyRecord): Promise<void> {
    await this.cache.setMany([{ key: this.key(customerPaymentId), value: record, ttlMs: KEY_RECORD_TTL_MS }]);
  }

  private key(customerPaymentId: string): string {
    return `${CACHE_KEY_VERSION}:jump:customer-payment:${Buffer.from(customerPaymentId).toString('base64url')}`;
  }
}
