import { describe, expect, it } from 'vitest';
import { KEY_RECORD_TTL_MS, PaymentKeys } from '../../src/modules/payouts/payment-keys.ts';
import { CACHE_KEY_VERSION } from '../../src/cache/store.ts';
import { TestClock, jumpPayment, memoryStore } from '../support/payouts.ts';

describe('idempotency records', () => {
  it('pending, then created: exact records under a base64url key, kept for 30 days', async () => {
    const clock = new TestClock();
    const store = memoryStore();
    const keys = new PaymentKeys(store, clock.now);
    const key = 'inv 2026:03 [a]@b~{c}';
    expect(await keys.get(key)).toBeUndefined();

    await keys.pending(key, { contractorId: 4, amount: '250.00', serviceName: 'Курьерская доставка' });
    const storeKey = `${CACHE_KEY_VERSION}:jump:customer-payment:${Buffer.from(key).toString('base64url')}`;
    expect(storeKey).toBe('v3:jump:customer-payment:aW52IDIwMjY6MDMgW2FdQGJ-e2N9');
    expect(await store.getMany([storeKey])).toEqual([
      { state: 'pending', contractorId: 4, amount: '250.00', serviceName: 'Курьерская доставка', at: clock.t },
    ]);

    clock.advance(5_000);
    await keys.created(key, jumpPayment({ id: 91, amount: '250.00', contractorId: 4, key }), 'Курьерская доставка');
    expect(await keys.get(key)).toEqual({
      state: 'created',
      paymentId: 91,
      contractorId: 4,
      amount: '250.00',
      serviceName: 'Курьерская доставка',
      at: clock.t,
    });
    expect(KEY_RECORD_TTL_MS).toBe(2_592_000_000);
  });

  it('a pending record without a service name stores null; a payout without a contractor records contractor 0', async () => {
    const clock = new TestClock();
    const keys = new PaymentKeys(memoryStore(), clock.now);
    await keys.pending('k-1', { contractorId: 4, amount: '1.00', serviceName: undefined });
    expect(await keys.get('k-1')).toEqual({ state: 'pending', contractorId: 4, amount: '1.00', serviceName: null, at: clock.t });
    await keys.created('k-1', jumpPayment({ id: 3, amount: '1.00' }), null);
    expect(await keys.get('k-1')).toEqual({
      state: 'created',
      paymentId: 3,
      contractorId: 0,
      amount: '1.00',
      serviceName: null,
      at: clock.t,
    });
  });

  it('release frees the key; a stored value of another shape is no record', async () => {
    const store = memoryStore();
    const keys = new PaymentKeys(store, () => 0);
    await keys.pending('k-2', { contractorId: 1, amount: '2.00' });
    await keys.release('k-2');
    expect(await keys.get('k-2')).toBeUndefined();
    await store.setMany([
      {
        key: `${CACHE_KEY_VERSION}:jump:customer-payment:${Buffer.from('k-3').toString('base64url')}`,
        value: { state: 'paid' },
        ttlMs: 60_000,
      },
    ]);
    expect(await keys.get('k-3')).toBeUndefined();
  });
});
