import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';

const HOUR = 3_600_000;
const clock = { now: Date.UTC(2026, 10, 23, 9, 0, 0) };

describe('Company.freshness covers every method the answer was built from', () => {
  const env = withSubgraph({
    now: () => clock.now,
    env: { CACHE_TTL_REQUISITES: '24h', CACHE_TTL_STATUS: '1h', CACHE_STALE_IF_ERROR: '24h', FOCUS_BREAKER_MIN_CALLS: '100' },
  });

  it('fresh data: stale false, fetchedAt the oldest entry used', async () => {
    const [inn] = legalEntityInns(1, 80);
    const result = await env.subgraph.gql(`{ company(inn: "${inn}") { shortName analytics { revenue } freshness { fetchedAt stale } } }`);
    expect(result.data.company.freshness).toEqual({ fetchedAt: new Date(clock.now).toISOString(), stale: false });
  });

  it('an analytics entry answered stale while req is fresh makes the answer stale', async () => {
    const [inn] = legalEntityInns(1, 81);
    const loadedAt = clock.now;
    await env.subgraph.gql(`{ company(inn: "${inn}") { analytics { revenue } } }`);
    clock.now += 25 * HOUR;
    env.emulator.injectFault({ fault: { kind: 'status', status: 503 }, methods: ['analytics'] });
    try {
      const result = await env.subgraph.gql(`{ company(inn: "${inn}") { shortName analytics { revenue } freshness { fetchedAt stale } } }`);
      expect(result.errors).toBeUndefined();
      expect(result.data.company.freshness).toEqual({ fetchedAt: new Date(loadedAt).toISOString(), stale: true });
      // Without analytics in the answer, only the freshly fetched req counts.
      const namesOnly = await env.subgraph.gql(`{ company(inn: "${inn}") { shortName freshness { stale } } }`);
      expect(namesOnly.data.company.freshness).toEqual({ stale: false });
    } finally {
      env.emulator.clearFaults();
    }
  });

  it('a status refetch that fails is answered stale, and freshness says so', async () => {
    const [inn] = legalEntityInns(1, 82);
    const loadedAt = clock.now;
    await env.subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    clock.now += 2 * HOUR;
    env.emulator.injectFault({ fault: { kind: 'status', status: 503 }, methods: ['req'] });
    try {
      const withStatus = await env.subgraph.gql(`{ company(inn: "${inn}") { status { code } freshness { fetchedAt stale } } }`);
      expect(withStatus.errors).toBeUndefined();
      expect(withStatus.data.company.freshness).toEqual({ fetchedAt: new Date(loadedAt).toISOString(), stale: true });
    } finally {
      env.emulator.clearFaults();
    }
  });
});
