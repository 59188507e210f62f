import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startTbankSubgraph, startTestTbankEmulator, type TbankSubgraph } from '../support/tbank.ts';

/** The vendor counts a call when it arrives; with a slow vendor our limiter must still never let a 429 happen. */
describe('T-Bank rate limit with a slow vendor', () => {
  let tbank: TbankEmulator;
  let subgraph: TbankSubgraph;

  beforeAll(async () => {
    tbank = await startTestTbankEmulator({ rateLimit: { calls: 8, windowMs: 3_000 }, latencyMs: 800 });
    subgraph = await startTbankSubgraph({ tbank, env: { TBANK_RATE_LIMIT: '8/3s', TBANK_MAX_WAIT: '10s' } });
  });
  afterAll(async () => {
    await subgraph.close();
    await tbank.close();
  });

  it('12 companies at once: all answered, in two waits of a window, and the vendor never answers 429', async () => {
    const inns = legalEntityInns(12, 98);
    const results = await Promise.all(inns.map((inn) => subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { __typename } } }`)));
    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    expect(tbank.calls.map((call) => call.status).filter((status) => status === 429)).toEqual([]);
    expect(tbank.calls.filter((call) => call.status === 200)).toHaveLength(12);
  }, 30_000);
});
