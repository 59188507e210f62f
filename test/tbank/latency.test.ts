import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { withTbankSubgraph } from '../support/tbank.ts';

/** The vendor counts a call when it arrives; with a slow vendor our limiter must still never let a 429 happen. */
describe('T-Bank rate limit with a slow vendor', () => {
  const env = withTbankSubgraph({
    focus: false,
    tbank: { rateLimit: { calls: 8, windowMs: 3_000 }, latencyMs: 800 },
    env: { TBANK_RATE_LIMIT: '8/3s', TBANK_MAX_WAIT: '10s' },
  });

  it('12 companies at once: all answered, in two waits of a window, and the vendor never answers 429', async () => {
    const inns = legalEntityInns(12, 98);
    const results = await Promise.all(inns.map((inn) => env.subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { __typename } } }`)));
    expect(results.flatMap((result) => result.errors ?? [])).toEqual([]);
    expect(env.tbank.calls.map((call) => call.status).filter((status) => status === 429)).toEqual([]);
    expect(env.tbank.calls.filter((call) => call.status === 200)).toHaveLength(12);
  }, 30_000);
});
