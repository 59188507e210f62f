import { describe, expect, it } from 'vitest';
import { VendorError } from '../../src/errors.ts';
import { newOperationStats, type OperationStats } from '../../src/loaders/operation-stats.ts';
import { PaymentStore } from '../../src/modules/payouts/payment-store.ts';
import type { JumpPayment } from '../../src/modules/payouts/vendor/schemas.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { TestClock, fakeCalls, jumpPayment, memoryStore } from '../support/payouts.ts';

const MINUTE = 60_000;
const down = () =>
  new VendorError('VENDOR_UNAVAILABLE', 'Jump.Finance payments.get: HTTP 503', {
    vendor: 'jump-finance',
    method: 'payments.get',
    status: 503,
  });

/** A store over a fake vendor: `answer` says what GET /payments/{id} answers next; `reads` lists the ids asked for. */
function storeOver(answer: (id: number) => Promise<JumpPayment | null>) {
  const clock = new TestClock();
  const reads: number[] = [];
  const calls = fakeCalls({
    getPayment: (id: number) => {
      reads.push(id);
      return answer(id);
    },
  });
  const deps = { cache: memoryStore(), metrics: new Metrics({ processMetrics: false }), logger: createLogger('silent'), now: clock.now };
  const store = new PaymentStore(calls, deps, { statusRefreshMs: MINUTE, actionNeededRefreshMs: 15 * MINUTE, keepMs: 30 * 86_400_000 });
  return { store, reads, clock };
}

const counters = ({ vendorCalls, cacheHits, cacheMisses, coalesced, staleServed }: OperationStats) => ({
  vendorCalls,
  cacheHits,
  cacheMisses,
  coalesced,
  staleServed,
});

describe('payout store: the status-polling etiquette', () => {
  it('a payout that is not final answers from the store for a minute after it was read, then is read again', async () => {
    let status = 3;
    const { store, reads, clock } = storeOver(async (id) => jumpPayment({ id, statusId: status, isFinal: status === 1 }));
    const created = clock.t;
    await store.put(jumpPayment({ id: 1 }));
    const stats = newOperationStats();
    clock.advance(MINUTE - 1);
    expect(await store.get(1, stats)).toEqual({ value: jumpPayment({ id: 1 }), fetchedAt: created });
    expect(reads).toEqual([]);
    clock.advance(1);
    status = 1;
    expect(await store.get(1, stats)).toEqual({ value: jumpPayment({ id: 1, statusId: 1, isFinal: true }), fetchedAt: created + MINUTE });
    expect(reads).toEqual([1]);
    expect(counters(stats)).toEqual({ vendorCalls: 1, cacheHits: 1, cacheMisses: 1, coalesced: 0, staleServed: 0 });
    // Final: never read again while kept.
    clock.advance(7 * 86_400_000);
    expect((await store.get(1, stats))!.fetchedAt).toBe(created + MINUTE);
    expect(reads).toEqual([1]);
  });

  it('awaiting confirmation (4) and failed (5) are read again only every 15 minutes', async () => {
    const { store, reads, clock } = storeOver(async (id) => jumpPayment({ id, statusId: 4 }));
    await store.putMany([jumpPayment({ id: 2, statusId: 4 }), jumpPayment({ id: 3, statusId: 5 })]);
    clock.advance(15 * MINUTE - 1);
    await store.get(2);
    await store.get(3);
    expect(reads).toEqual([]);
    clock.advance(1);
    await store.get(2);
    expect(reads).toEqual([2]);
  });

  it("a failed refresh answers the stored payout and counts as this minute's read", async () => {
    let fail = true;
    const { store, reads, clock } = storeOver(async (id) => {
      if (fail) throw down();
      return jumpPayment({ id, statusId: 1, isFinal: true });
    });
    const readAt = clock.t;
    await store.put(jumpPayment({ id: 4 }));
    clock.advance(MINUTE);
    const stats = newOperationStats();
    expect(await store.get(4, stats)).toEqual({ value: jumpPayment({ id: 4 }), fetchedAt: readAt });
    expect(counters(stats)).toEqual({ vendorCalls: 1, cacheHits: 0, cacheMisses: 1, coalesced: 0, staleServed: 1 });
    // The attempt was this minute's read: a minute from it, not from the stored read, the vendor is asked again.
    fail = false;
    clock.advance(MINUTE - 1);
    expect((await store.get(4))!.fetchedAt).toBe(readAt);
    expect(reads).toEqual([4]);
    clock.advance(1);
    expect(await store.get(4)).toEqual({ value: jumpPayment({ id: 4, statusId: 1, isFinal: true }), fetchedAt: clock.t });
    expect(reads).toEqual([4, 4]);
  });

  it('with nothing stored a failed read is the error; a payout the vendor does not have is null and not stored', async () => {
    let answer: () => Promise<JumpPayment | null> = () => Promise.reject(down());
    const { store, reads } = storeOver(() => answer());
    await expect(store.get(5)).rejects.toMatchObject({ extensions: { code: 'VENDOR_UNAVAILABLE' } });
    answer = async () => null;
    expect(await store.get(5)).toBeNull();
    expect(await store.get(5)).toBeNull();
    expect(reads).toEqual([5, 5, 5]);
  });

  it('operations asking at the same moment share one read', async () => {
    let release!: (payment: JumpPayment) => void;
    const { store, reads } = storeOver(() => new Promise((resolve) => (release = resolve)));
    const [a, b, c] = [newOperationStats(), newOperationStats(), newOperationStats()];
    const all = Promise.all([store.get(6, a), store.get(6, b), store.get(6, c)]);
    while (reads.length === 0) await new Promise((resolve) => setImmediate(resolve));
    release(jumpPayment({ id: 6 }));
    const answers = await all;
    expect(new Set(answers.map((answer) => answer!.value.id))).toEqual(new Set([6]));
    expect(reads).toEqual([6]);
    expect([a, b, c].map(counters)).toEqual([
      { vendorCalls: 1, cacheHits: 0, cacheMisses: 1, coalesced: 0, staleServed: 0 },
      { vendorCalls: 0, cacheHits: 0, cacheMisses: 1, coalesced: 1, staleServed: 0 },
      { vendorCalls: 0, cacheHits: 0, cacheMisses: 1, coalesced: 1, staleServed: 0 },
    ]);
  });
});
