import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../src/vendors/kontur-focus/emulator/server.ts';
import { legalEntityInns, unknownInn } from './support/inns.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from './support/subgraph.ts';

/** A clock the test moves by hand, so TTL behaviour is checked without sleeping. */
function manualClock(start = Date.UTC(2026, 10, 23, 9, 0, 0)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('cache TTLs', () => {
  let emulator: FocusEmulator;
  let subgraph: TestSubgraph;
  const clock = manualClock();

  beforeAll(async () => {
    emulator = await startEmulator();
    subgraph = await startSubgraph({
      emulator,
      now: clock.now,
      env: { CACHE_TTL_STATUS: '4s', CACHE_TTL_REQUISITES: '24h', CACHE_TTL_NOT_FOUND: '1h' },
    });
  });
  afterAll(async () => {
    await subgraph.close();
    await emulator.close();
  });

  it('CACHE_TTL_STATUS=4s: 5 s later a name-only query costs 0 calls and a status query refetches (3 calls for 250)', async () => {
    const inns = legalEntityInns(250, 11);
    await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName status { code } } }`, { inns });
    expect(emulator.callsTo('req')).toHaveLength(3);

    clock.advance(5_000);
    emulator.resetCalls();
    const names = await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    expect(names.data.companies).toHaveLength(250);
    expect(emulator.calls).toHaveLength(0);

    const statuses = await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { status { code } } }`, { inns });
    expect(statuses.errors).toBeUndefined();
    expect(emulator.callsTo('req').map((call) => call.ids.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(emulator.calls).toHaveLength(3);

    // Just refreshed: status is fresh again.
    emulator.resetCalls();
    await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { status { code } } }`, { inns });
    expect(emulator.calls).toHaveLength(0);
  });

  it('requisites expire after CACHE_TTL_REQUISITES', async () => {
    const inns = legalEntityInns(5, 12);
    await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    clock.advance(23 * 3_600_000);
    emulator.resetCalls();
    await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    expect(emulator.calls).toHaveLength(0);
    clock.advance(3_600_000 + 1);
    await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { shortName } }`, { inns });
    expect(emulator.callsTo('req')).toHaveLength(1);
  });

  it('an unknown INN answers null and is believed unknown for CACHE_TTL_NOT_FOUND', async () => {
    const inn = unknownInn(7);
    const first = await subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    expect(first.errors).toBeUndefined();
    expect(first.data.company).toBeNull();
    emulator.resetCalls();
    clock.advance(30 * 60_000);
    await subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    expect(emulator.calls).toHaveLength(0);
    clock.advance(31 * 60_000);
    await subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
    expect(emulator.callsTo('req')).toHaveLength(1);
  });

  it('refreshCompany refetches every method cached for the INN, and only those', async () => {
    const [inn] = legalEntityInns(1, 13);
    await subgraph.gql(`{ company(inn: "${inn}") { shortName analytics { revenue } licences { number } } }`);
    emulator.resetCalls();
    const refreshed = await subgraph.gql(`mutation { refreshCompany(inn: "${inn}") { inn shortName } }`);
    expect(refreshed.errors).toBeUndefined();
    expect(refreshed.data.refreshCompany.inn).toBe(inn);
    expect(emulator.calls.map((call) => call.method).sort()).toEqual(['analytics', 'licences', 'req']);
    emulator.resetCalls();
    await subgraph.gql(`{ company(inn: "${inn}") { shortName analytics { revenue } licences { number } } }`);
    expect(emulator.calls).toHaveLength(0);
  });
});
