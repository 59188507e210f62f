import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import type { TbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { postGraphQL, reachable, startServerProcess, type ServerProcess } from '../support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../support/subgraph.ts';
import { startTestTbankEmulator, TEST_TBANK_TOKEN } from '../support/tbank.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[tbank/replicas.test] skipping: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const QUERY = 'query ($inn: String!) { company(inn: $inn) { inn shortName tbankCheck { ogrn } } }';

/** Three replicas on one T-Bank token and one Redis, with the vendor's emulator enforcing `limit` itself. */
function withReplicas(limit: { calls: number; windowMs: number }, env: Record<string, string>) {
  const state = {} as { focus: FocusEmulator; tbank: TbankEmulator; replicas: ServerProcess[] };
  beforeAll(async () => {
    state.focus = await startEmulator();
    state.tbank = await startTestTbankEmulator({ rateLimit: limit });
    const shared = {
      FOCUS_BASE_URL: state.focus.url,
      FOCUS_API_KEY: TEST_FOCUS_KEY,
      TBANK_BASE_URL: state.tbank.url,
      TBANK_TOKEN: TEST_TBANK_TOKEN,
      CACHE_URL: REDIS_URL,
      CACHE_NAMESPACE: `tbank-replicas-${process.pid}-${Date.now()}-${limit.windowMs}`,
      ...env,
    };
    state.replicas = await Promise.all([startServerProcess(shared), startServerProcess(shared), startServerProcess(shared)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled((state.replicas ?? []).map((replica) => replica.stop()));
    await state.tbank?.close();
    await state.focus?.close();
  });
  return state;
}

describe.skipIf(!redisUp)('three replicas on one T-Bank token share TBANK_RATE_LIMIT through Redis', () => {
  describe('10/min', () => {
    const state = withReplicas({ calls: 10, windowMs: 60_000 }, { TBANK_RATE_LIMIT: '10/min', TBANK_MAX_WAIT: '200ms' });

    // Each replica asks for 10 of the 30: with a budget per replica each would send its 10 (30 calls, 20 of them 429).
    it('30 companies asked over the three replicas at once: T-Bank sees 10 calls, no 429; 20 fail fast', async () => {
      const inns = legalEntityInns(30, 61);
      const results = await Promise.all(inns.map((inn, i) => postGraphQL(state.replicas[i % 3]!.url, QUERY, { inn })));
      expect(state.tbank.calls).toHaveLength(10);
      expect(state.tbank.calls.filter((call) => call.status !== 200)).toEqual([]);
      const refused = results.filter((result) => result.data.company.tbankCheck === null);
      expect(refused).toHaveLength(20);
      for (const result of refused) {
        expect(result.errors).toHaveLength(1);
        expect(result.errors[0].extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED', vendor: 'tbank', method: 'excerpt/by-inn' });
        expect(result.errors[0].extensions.retryAfterSeconds).toBeGreaterThanOrEqual(55);
        expect(result.errors[0].extensions.retryAfterSeconds).toBeLessThanOrEqual(62);
      }
    }, 30_000);
  });

  describe('2 per second, over time', () => {
    const state = withReplicas({ calls: 2, windowMs: 1_000 }, { TBANK_RATE_LIMIT: '2/1s', TBANK_MAX_WAIT: '20s' });

    it('8 companies over the three replicas all answer, and no second ever holds more than 2 calls', async () => {
      const inns = legalEntityInns(8, 62);
      const results = await Promise.all(inns.map((inn, i) => postGraphQL(state.replicas[i % 3]!.url, QUERY, { inn })));
      for (const result of results) {
        expect(result.errors).toBeUndefined();
        expect(result.data.company.tbankCheck.ogrn).toMatch(/^\d{13}$/);
      }
      const calls = state.tbank.calls;
      expect(calls).toHaveLength(8);
      expect(calls.filter((call) => call.status !== 200)).toEqual([]);
      const times = calls.map((call) => call.at).sort((a, b) => a - b);
      // Any two calls apart by two places are at least a window apart: at most 2 in any 1 s window, boundaries included.
      for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!).toBeGreaterThanOrEqual(1_000);
    }, 60_000);
  });
});
