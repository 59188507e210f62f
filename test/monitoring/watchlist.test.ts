import { describe, expect, it } from 'vitest';
import { legalEntityInns } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';

const WATCH = `mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched unknown totalWatched } }`;
const UNWATCH = `mutation ($inns: [String!]!) { unwatchCompanies(inns: $inns) { unwatched notWatched totalWatched } }`;
const WATCHED = `query ($first: Int, $after: String) {
  watchedCompanies(first: $first, after: $after) {
    edges { cursor node { inn ogrn } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
    totalCount
  }
}`;

describe('the watch list: watchedCompanies, unwatchCompanies', () => {
  const env = withSubgraph({ latencyMs: 20 });

  it('watchedCompanies pages the monitored list; unwatch removes exactly the INNs named, the others stay', async () => {
    const [a, b, c, d] = legalEntityInns(4, 81) as [string, string, string, string];
    expect((await env.subgraph.gql(WATCH, { inns: [a, b, c, d] })).data.watchCompanies.totalWatched).toBe(4);
    const ogrnOf = Object.fromEntries(env.emulator.monitored().map((pair) => [pair.inn, pair.ogrn]));

    env.emulator.resetCalls();
    const first = await env.subgraph.gql(WATCHED, { first: 3 });
    expect(first.errors).toBeUndefined();
    expect(first.data.watchedCompanies.edges.map((edge: { node: unknown }) => edge.node)).toEqual(
      [a, b, c].map((inn) => ({ inn, ogrn: ogrnOf[inn] })),
    );
    expect(first.data.watchedCompanies.totalCount).toBe(4);
    expect(first.data.watchedCompanies.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const second = await env.subgraph.gql(WATCHED, { first: 3, after: first.data.watchedCompanies.pageInfo.endCursor });
    expect(second.data.watchedCompanies.edges.map((edge: { node: { inn: string } }) => edge.node.inn)).toEqual([d]);
    expect(second.data.watchedCompanies.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    // The list was just written by watchCompanies: both pages came from the cache store, no monList call.
    expect(env.emulator.callsTo('monList')).toHaveLength(0);

    env.emulator.resetCalls();
    const outsider = legalEntityInns(1, 82)[0]!;
    const removed = await env.subgraph.gql(UNWATCH, { inns: [b, outsider, d] });
    expect(removed.errors).toBeUndefined();
    expect(removed.data.unwatchCompanies).toEqual({ unwatched: [b, d], notWatched: [outsider], totalWatched: 2 });
    expect(env.emulator.monitored().map((pair) => pair.inn)).toEqual([a, c]);
    // Read, then written back whole without them: one GET, one POST (append=false), nothing retried.
    expect(env.emulator.callsTo('monList').map((call) => call.status)).toEqual([200, 200]);
    const after = await env.subgraph.gql(WATCHED, {});
    expect(after.data.watchedCompanies.edges.map((edge: { node: { inn: string } }) => edge.node.inn)).toEqual([a, c]);

    // None of them on the list: read, nothing written.
    env.emulator.resetCalls();
    const none = await env.subgraph.gql(UNWATCH, { inns: [b] });
    expect(none.data.unwatchCompanies).toEqual({ unwatched: [], notWatched: [b], totalWatched: 2 });
    expect(env.emulator.callsTo('monList')).toHaveLength(1);
  });

  it('an invalid INN, or too many, is BAD_USER_INPUT before any call', async () => {
    env.emulator.resetCalls();
    const bad = await env.subgraph.gql(UNWATCH, { inns: [legalEntityInns(1, 81)[0], '7700000000'] });
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'inns' });
    expect(bad.data.unwatchCompanies).toBeNull();
    const many = await env.subgraph.gql(UNWATCH, { inns: legalEntityInns(1001, 83) });
    expect(many.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const cursor = await env.subgraph.gql(WATCHED, { after: 'bm9wZQ' });
    expect(cursor.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const first = await env.subgraph.gql(WATCHED, { first: 1001 });
    expect(first.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(env.emulator.calls).toHaveLength(0);
  });

  it('concurrent edits lose nothing: each reads the list only after the previous one wrote it', async () => {
    const start = legalEntityInns(6, 84);
    await env.subgraph.gql(UNWATCH, { inns: env.emulator.monitored().map((pair) => pair.inn!) });
    await env.subgraph.gql(WATCH, { inns: start });
    const [x, y] = legalEntityInns(2, 85) as [string, string];
    // Without the lock, every unwatch would read the six, and the last write would bring the others back.
    const results = await Promise.all([
      env.subgraph.gql(UNWATCH, { inns: [start[0]] }),
      env.subgraph.gql(WATCH, { inns: [x] }),
      env.subgraph.gql(UNWATCH, { inns: [start[1]] }),
      env.subgraph.gql(UNWATCH, { inns: [start[2]] }),
      env.subgraph.gql(WATCH, { inns: [y] }),
    ]);
    expect(results.map((result) => result.errors)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(
      env.emulator
        .monitored()
        .map((pair) => pair.inn)
        .sort(),
    ).toEqual([start[3], start[4], start[5], x, y].sort());
  });
});
