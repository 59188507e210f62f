import { describe, expect, it } from 'vitest';
import { VendorError } from '../../src/errors.ts';
import { newOperationStats } from '../../src/loaders/operation-stats.ts';
import { SelfEmployedSync } from '../../src/modules/payouts/self-employed-sync.ts';
import { SELF_EMPLOYED_SYNC_INTERVAL_MS, SyncWindows } from '../../src/modules/payouts/sync-windows.ts';
import { JumpRequestError } from '../../src/modules/payouts/vendor/client.ts';
import type { JumpSelfEmployed } from '../../src/modules/payouts/vendor/schemas.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { TestClock, fakeCalls, memoryStore } from '../support/payouts.ts';

const STATE = { is_verified: true } as JumpSelfEmployed;

/** A sync over a fake vendor whose answers the test sets, counting the calls that reached it. */
function syncOver(answer: () => Promise<JumpSelfEmployed>, store = memoryStore(), clock = new TestClock()) {
  const sent: number[] = [];
  const calls = fakeCalls({
    syncSelfEmployed: (contractorId: number) => {
      sent.push(contractorId);
      return answer();
    },
  });
  const sync = new SelfEmployedSync(calls, new SyncWindows(store, clock.now), new Metrics({ processMetrics: false }), clock.now);
  return { sync, sent, clock, store };
}

async function refusal(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught as { extensions: Record<string, unknown> },
  );
  if (!error) throw new Error('expected a refusal');
  return error.extensions;
}

describe('sync windows', () => {
  it('count 30 s from the window start, in memory and in the shared store', async () => {
    const clock = new TestClock();
    const store = memoryStore();
    const windows = new SyncWindows(store, clock.now);
    expect(await windows.remainingMs(7, clock.t)).toBe(-Infinity);
    await windows.start(7, clock.t);
    expect(await windows.remainingMs(7, clock.t + 10_000)).toBe(20_000);
    expect(await windows.remainingMs(7, clock.t + SELF_EMPLOYED_SYNC_INTERVAL_MS)).toBe(0);
    expect(await windows.remainingMs(8, clock.t)).toBe(-Infinity);
    // Another replica on the same store sees the window; one on its own store does not.
    expect(await new SyncWindows(store, clock.now).remainingMs(7, clock.t + 1_000)).toBe(29_000);
    expect(await new SyncWindows(memoryStore(), clock.now).remainingMs(7, clock.t + 1_000)).toBe(-Infinity);
  });

  it('memory holds the later start when the store was written with an earlier one', async () => {
    const clock = new TestClock();
    const windows = new SyncWindows(memoryStore(), clock.now);
    await windows.start(7, clock.t);
    await windows.start(7, clock.t - 20_000);
    expect(await windows.remainingMs(7, clock.t)).toBe(30_000);
  });
});

describe('self-employed sync rule', () => {
  it('a second sync 10 s after the first is RATE_LIMITED with 20 s to wait and sends nothing; 30 s after, it goes out', async () => {
    const { sync, sent, clock } = syncOver(async () => STATE);
    const stats = newOperationStats();
    expect(await sync.sync(5, stats)).toBe(STATE);
    expect(stats.vendorCalls).toBe(1);
    clock.advance(10_000);
    expect(await refusal(sync.sync(5, stats))).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 20, contractorId: '5' });
    expect(stats.vendorCalls).toBe(1);
    clock.advance(19_500);
    expect((await refusal(sync.sync(5))).retryAfterSeconds).toBe(1);
    clock.advance(500);
    await sync.sync(5);
    expect(sent).toEqual([5, 5]);
  });

  it("the vendor's 429 starts a window as long as its Retry-After", async () => {
    const { sync, sent, clock } = syncOver(() =>
      Promise.reject(
        new VendorError('VENDOR_RATE_LIMITED', 'too early', { vendor: 'jump-finance', method: 'selfemployer.sync', retryAfterSeconds: 12 }),
      ),
    );
    expect(await refusal(sync.sync(5))).toEqual({ code: 'RATE_LIMITED', retryAfterSeconds: 12, contractorId: '5' });
    clock.advance(4_000);
    expect((await refusal(sync.sync(5))).retryAfterSeconds).toBe(8);
    expect(sent).toEqual([5]);
  });

  it('a failed sync (5xx, 404) holds no window: the next one asks the vendor at once', async () => {
    let failure: Error = new VendorError('VENDOR_UNAVAILABLE', 'down', {
      vendor: 'jump-finance',
      method: 'selfemployer.sync',
      status: 503,
    });
    const { sync, sent } = syncOver(() => Promise.reject(failure));
    expect((await refusal(sync.sync(5))).code).toBe('VENDOR_UNAVAILABLE');
    failure = new JumpRequestError('selfemployer.sync', 404, 'no such contractor', []);
    expect(await refusal(sync.sync(5))).toEqual({ code: 'NOT_FOUND', contractorId: '5' });
    expect((await refusal(sync.sync(5))).code).toBe('NOT_FOUND');
    expect(sent).toEqual([5, 5, 5]);
  });

  it('concurrent syncs of one contractor share one call', async () => {
    let release!: (state: JumpSelfEmployed) => void;
    const { sync, sent } = syncOver(() => new Promise((resolve) => (release = resolve)));
    const first = newOperationStats();
    const second = newOperationStats();
    const both = Promise.all([sync.sync(5, first), sync.sync(5, second)]);
    await new Promise((resolve) => setImmediate(resolve));
    release(STATE);
    expect(await both).toEqual([STATE, STATE]);
    expect(sent).toEqual([5]);
    expect([first.vendorCalls, first.coalesced, second.vendorCalls, second.coalesced]).toEqual([1, 0, 0, 1]);
  });
});
