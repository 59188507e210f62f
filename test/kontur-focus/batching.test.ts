import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';

const NAMES = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName } }`;

describe('batching and coalescing', () => {
  let emulator: FocusEmulator;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    emulator = await startEmulator(20);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(async () => {
    await subgraph?.close();
    subgraph = await startSubgraph({ emulator });
    emulator.resetCalls();
  });

  it('companies(250 distinct INNs) costs exactly 3 req calls of at most 100 ids and no other method; a repeat costs 0', async () => {
    const inns = legalEntityInns(250, 1);
    const first = await subgraph.gql(NAMES, { inns });
    expect(first.errors).toBeUndefined();
    expect(first.data.companies).toHaveLength(250);
    expect(first.data.companies.map((c: { inn: string }) => c.inn)).toEqual(inns);
    expect(first.data.companies.every((c: { shortName: string | null }) => typeof c.shortName === 'string')).toBe(true);

    expect(emulator.calls.map((call) => call.method)).toEqual(['req', 'req', 'req']);
    expect(emulator.calls.map((call) => call.ids.length).sort((a, b) => a - b)).toEqual([50, 100, 100]);
    expect(new Set(emulator.calls.flatMap((call) => call.ids)).size).toBe(250);

    emulator.resetCalls();
    const second = await subgraph.gql(NAMES, { inns });
    expect(second.data).toEqual(first.data);
    expect(emulator.calls).toHaveLength(0);
  });

  it('analytics for 150 companies costs 2 analytics calls (plus 2 req calls for the list itself)', async () => {
    const inns = legalEntityInns(150, 2);
    const result = await subgraph.gql(
      `query ($inns: [String!]!) { companies(inns: $inns) { inn analytics { revenue indicators { code } } } }`,
      { inns },
    );
    expect(result.errors).toBeUndefined();
    expect(
      emulator
        .callsTo('analytics')
        .map((call) => call.ids.length)
        .sort((a, b) => a - b),
    ).toEqual([50, 100]);
    expect(emulator.callsTo('req')).toHaveLength(2);
    expect(emulator.calls).toHaveLength(4);
  });

  it('_entities with 250 Company representations costs 3 req calls', async () => {
    const inns = legalEntityInns(250, 3);
    const representations = inns.map((inn) => ({ __typename: 'Company', inn }));
    const result = await subgraph.gql(
      `query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on Company { inn shortName } } }`,
      { representations },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toHaveLength(250);
    expect(result.data._entities[249].inn).toBe(inns[249]);
    expect(
      emulator
        .callsTo('req')
        .map((call) => call.ids.length)
        .sort((a, b) => a - b),
    ).toEqual([50, 100, 100]);
    expect(emulator.calls).toHaveLength(3);
  });

  it('a name-only query calls req and nothing else; each further field group adds only its own method', async () => {
    const [inn] = legalEntityInns(1, 4);
    await subgraph.gql(`{ company(inn: "${inn}") { shortName fullName kpp legalAddress { oneLine } heads { fio } } }`);
    expect(emulator.calls.map((call) => call.method)).toEqual(['req']);
    emulator.resetCalls();
    await subgraph.gql(`{ company(inn: "${inn}") { shortName activities { code } licences { number } } }`);
    expect(emulator.calls.map((call) => call.method).sort()).toEqual(['egrDetails', 'licences']);
  });

  it('10 concurrent identical cold queries share 1 req call', async () => {
    const inns = legalEntityInns(30, 5);
    const results = await Promise.all(Array.from({ length: 10 }, () => subgraph.gql(NAMES, { inns })));
    for (const result of results) expect(result.data.companies).toHaveLength(30);
    expect(emulator.calls).toHaveLength(1);
    expect(emulator.calls[0]!.ids).toHaveLength(30);
  });

  it('two concurrent overlapping queries (INNs 0–99 and 50–149) cost 2 calls carrying 150 distinct ids', async () => {
    const inns = legalEntityInns(150, 6);
    const [a, b] = await Promise.all([
      subgraph.gql(NAMES, { inns: inns.slice(0, 100) }),
      subgraph.gql(NAMES, { inns: inns.slice(50, 150) }),
    ]);
    expect(a.data.companies).toHaveLength(100);
    expect(b.data.companies).toHaveLength(100);
    expect(emulator.callsTo('req')).toHaveLength(2);
    const ids = emulator.calls.flatMap((call) => call.ids);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
  });

  it('duplicate INNs in one list are fetched once and answered at every position', async () => {
    const [x, y] = legalEntityInns(2, 7);
    const result = await subgraph.gql(NAMES, { inns: [x, y, x, x] });
    expect(result.data.companies.map((c: { inn: string }) => c.inn)).toEqual([x, y, x, x]);
    expect(emulator.calls).toHaveLength(1);
    expect([...emulator.calls[0]!.ids].sort()).toEqual([x, y].sort());
  });

  it('1000 cold INNs cost exactly 10 req calls of 100 ids', async () => {
    const inns = legalEntityInns(1000, 8);
    const result = await subgraph.gql(NAMES, { inns });
    expect(result.data.companies).toHaveLength(1000);
    expect(emulator.callsTo('req')).toHaveLength(10);
    expect(emulator.calls.every((call) => call.ids.length === 100)).toBe(true);
  });
});
