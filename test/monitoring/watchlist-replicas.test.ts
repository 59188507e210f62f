import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { reachable, startServerProcess, type ServerProcess } from '../support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../support/subgraph.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[monitoring/watchlist-replicas.test] skipping: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const WATCH = `mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched } }`;
const UNWATCH = `mutation ($inns: [String!]!) { unwatchCompanies(inns: $inns) { unwatched notWatched } }`;

async function gql(replica: ServerProcess, query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${replica.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

describe.skipIf(!redisUp)(`two replicas editing the watch list at once, one Redis (${REDIS_URL})`, () => {
  const namespace = `watchlist-replicas-${process.pid}-${Date.now()}`;
  let emulator: FocusEmulator;
  let replicas: ServerProcess[] = [];

  beforeAll(async () => {
    // Slow answers: without the shared lease, both replicas would read the list before either writes it back.
    emulator = await startEmulator(150);
    const env = { FOCUS_BASE_URL: emulator.url, FOCUS_API_KEY: TEST_FOCUS_KEY, CACHE_URL: REDIS_URL, CACHE_NAMESPACE: namespace };
    replicas = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.stop()));
    await emulator?.close();
  });

  it('each edit reads the list after the other one wrote it: nothing is lost', async () => {
    const inns = legalEntityInns(6, 93);
    const [x] = legalEntityInns(1, 94) as [string];
    await gql(replicas[0]!, WATCH, { inns });
    const results = await Promise.all([
      gql(replicas[0]!, UNWATCH, { inns: [inns[0]] }),
      gql(replicas[1]!, UNWATCH, { inns: [inns[1]] }),
      gql(replicas[0]!, WATCH, { inns: [x] }),
      gql(replicas[1]!, UNWATCH, { inns: [inns[2]] }),
    ]);
    expect(results.map((result) => result.errors)).toEqual([undefined, undefined, undefined, undefined]);
    expect(results[0].data.unwatchCompanies).toEqual({ unwatched: [inns[0]], notWatched: [] });
    expect(results[1].data.unwatchCompanies).toEqual({ unwatched: [inns[1]], notWatched: [] });
    expect(
      emulator
        .monitored()
        .map((pair) => pair.inn)
        .sort(),
    ).toEqual([...inns.slice(3), x].sort());
  }, 30_000);
});
