import { describe, expect, it } from 'vitest';
import { legalEntityInns, unknownInn } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';

/** A clock the test moves by hand, so TTL behaviour is checked without sleeping. */
function manualClock(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('cache TTLs', () => {
  const clock = manualClock();
  const env = withSubgraph({
    now: clock.now,
    env: { CACHE_TTL_STATUS: '4s', CACHE_TTL_REQUISITES: '24h', CACHE_TTL_NOT_FOUND: '1h' },
  });

  it('CACHE_TTL_STATUS=4s: 5 s later a name-only query costs 0 calls and a status query refetches (3 calls for 250)', async () => {
    const inns = legalEntityInns(250, 11);
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName status { code } } }`, { inns });
    expect(env.emulator.callsTo('req')).toHaveLength(3);

    clock.advance(5_000);
    env.emulator.resetCalls();
    const names = await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    expect(names.data.companies).toHaveLength(250);
    expect(env.emulator.calls).toHaveLength(0);

    const statuses = await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { status { code } } }`, { inns });
    expect(statuses.errors).toBeUndefined();
    expect(
      env.emulator
        .callsTo('req')
        .map((call) => call.ids.length)
        .sort((a, b) => a - b),
    ).toEqual([50, 100, 100]);
    expect(env.emulator.calls).toHaveLength(3);

    // Just refreshed: status is fresh again.
    env.emulator.resetCalls();
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { status { code } } }`, { inns });
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('requisites expire after CACHE_TTL_REQUISITES', async () => {
    const inns = legalEntityInns(5, 12);
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    clock.advance(23 * 3_600_000);
    env.emulator.resetCalls();
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    expect(env.emulator.calls).toHaveLength(0);
    clock.advance(3_600_000 + 1);
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    expect(env.emulator.callsTo('req')).toHaveLength(1);
  });

  it('an unknown INN answers null and is believed unknown for CACHE_TTL_NOT_FOUND', async () => {
    const inn = unknownInn(7);
    const first = await env.subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    expect(first.errors).toBeUndefined();
    expect(first.data.company).toBeNull();
    env.emulator.resetCalls();
    clock.advance(30 * 60_000);
    await env.subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    expect(env.emulator.calls).toHaveLength(0);
    clock.advance(31 * 60_000);
    await env.subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    expect(env.emulator.callsTo('req')).toHaveLength(1);
  });

  it('an unknown INN with status selected is not asked again before CACHE_TTL_NOT_FOUND (it has no status to refresh)', async () => {
    const [known] = legalEntityInns(1, 94) as [string];
    const inns = [unknownInn(17), unknownInn(18), known];
    const query = `query ($inns: [String!]!) { companies(inns: $inns) { inn status { code } } one: company(inn: "${inns[0]}") { status { code } } }`;
    await env.subgraph.gql(query, { inns });
    for (let round = 0; round < 3; round++) {
      clock.advance(5_000);
      env.emulator.resetCalls();
      const result = await env.subgraph.gql(query, { inns });
      expect(result.data).toEqual({ companies: [null, null, { inn: known, status: { code: 'ACTIVE' } }], one: null });
      // The known company's status is older than 4 s: refetched; the unknown ones are not.
      expect(env.emulator.callsTo('req').flatMap((call) => call.ids)).toEqual([known]);
    }
  });

  it('refreshCompany refetches every method cached for the INN, and only those, once per REFRESH_MIN_INTERVAL', async () => {
    const [inn] = legalEntityInns(1, 13);
    await env.subgraph.gql(`{ company(inn: "${inn}") { shortName analytics { revenue } licences { number } } }`);
    env.emulator.resetCalls();
    // Fetched less than REFRESH_MIN_INTERVAL (1m) ago: that fresh data answers the refresh, at no cost.
    const early = await env.subgraph.gql(`mutation { refreshCompany(inn: "${inn}") { inn shortName } }`);
    expect(early.data.refreshCompany.inn).toBe(inn);
    expect(env.emulator.calls).toHaveLength(0);
    clock.advance(60_000);
    const refreshed = await env.subgraph.gql(`mutation { refreshCompany(inn: "${inn}") { inn shortName } }`);
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data.refreshCompany.inn).toBe(inn);
    expect(env.emulator.calls.map((call) => call.method).sort()).toEqual(['analytics', 'licences', 'req']);
    env.emulator.resetCalls();
    await env.subgraph.gql(`{ company(inn: "${inn}") { shortName analytics { revenue } licences { number } } }`);
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('when status refetches, every status-dependent field of the answer reads the new data', async () => {
    const inn = '7700000009';
    const before = await env.subgraph.gql(`{ company(inn: "${inn}") { shortName status { code } } }`);
    expect(before.data.company.status.code).toBe('ACTIVE');

    // The registry now says the company was liquidated.
    const [record] = (await (await fetch(`${env.emulator.url}/req?key=test-focus-key-0123456789abcdef&inn=${inn}`)).json()) as any[];
    const dissolved = {
      ...record,
      UL: {
        ...record.UL,
        status: { statusString: 'Ликвидация юридического лица', dissolved: true, date: '2026-11-20' },
        dissolutionDate: '2026-11-20',
      },
    };
    env.emulator.setRecords('req', inn, [dissolved]);
    clock.advance(5_000);

    const after = await env.subgraph.gql(`{ company(inn: "${inn}") {
      status { code date } dissolutionDate registrations { status { code } dissolutionDate isCurrent }
    } }`);
    expect(after.data.company).toEqual({
      status: { code: 'LIQUIDATED', date: '2026-11-20' },
      dissolutionDate: '2026-11-20',
      registrations: [{ status: { code: 'LIQUIDATED' }, dissolutionDate: '2026-11-20', isCurrent: true }],
    });
  });
});

describe('a status refetch that cannot finish', () => {
  const clock = manualClock();
  const env = withSubgraph({
    now: clock.now,
    env: { CACHE_TTL_STATUS: '4s', CACHE_TTL_REQUISITES: '24h', OPERATION_TIMEOUT: '1500ms' },
  });

  it('fails only the status fields: the rest of each company answers from the cached requisites', async () => {
    const inns = legalEntityInns(3, 91);
    const query = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName status { code } } one: company(inn: "${inns[0]}") { shortName status { code } } }`;
    const warm = await env.subgraph.gql(query, { inns });
    expect(warm.errors).toBeUndefined();
    clock.advance(5_000);
    env.emulator.injectFault({ fault: { kind: 'hang' }, methods: ['req'] });
    const result = await env.subgraph.gql(query, { inns });
    expect(result.data.companies.map((company: { inn: string; status: unknown }) => [company.inn, company.status])).toEqual(
      inns.map((inn) => [inn, null]),
    );
    expect(result.data.one.shortName).toBe(warm.data.one.shortName);
    expect(result.data.one.status).toBeNull();
    expect(result.errors!.map((error) => [error.path!.join('.'), error.extensions!.code as string]).sort()).toEqual(
      [...inns.map((_, index) => `companies.${index}.status`), 'one.status'].sort().map((path) => [path, 'VENDOR_TIMEOUT']),
    );
  });
});
