/**
 * "Redis killed in the middle of a run": the subgraph caches in a redis-server this test starts itself (on a free
 * port, no persistence), the server is SIGKILLed mid-run, and every operation must still answer, from the vendor,
 * with no client-visible error. Then Redis comes back on the same port and the subgraph uses it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { redisCommand, redisServerAvailable, startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { startEmulator, startSubgraph, type GraphQLResponse, type TestSubgraph } from '../support/subgraph.ts';

const hasRedisServer = redisServerAvailable();
if (!hasRedisServer) console.warn('[redis-outage.test] skipping "Redis killed in the middle of a run": no redis-server binary on PATH');

const NAMES = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName } }`;
const RUN_LENGTH = 40;
const KILL_AFTER = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** No error, every company resolved, in order. */
function failures(response: GraphQLResponse, inns: string[]): string[] {
  const problems: string[] = [];
  if (response.errors) problems.push(`errors: ${JSON.stringify(response.errors)}`);
  const companies = (response.data?.companies ?? []) as Array<{ inn: string; shortName: string | null } | null>;
  if (companies.length !== inns.length) problems.push(`${companies.length} companies for ${inns.length} INNs`);
  companies.forEach((company, index) => {
    if (company?.inn !== inns[index] || typeof company?.shortName !== 'string')
      problems.push(`companies[${index}] = ${JSON.stringify(company)}`);
  });
  return problems;
}

describe.skipIf(!hasRedisServer)('Redis killed in the middle of a run', () => {
  let emulator: FocusEmulator;
  let subgraph: TestSubgraph;
  const servers: RedisServer[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    servers.push(await startRedisServer());
    subgraph = await startSubgraph({ emulator, env: { CACHE_URL: servers[0]!.url } });
  });
  afterAll(async () => {
    await subgraph?.close();
    await emulator?.close();
    await Promise.allSettled(servers.map((server) => server.kill()));
  });

  it('keeps answering from the vendor with zero failed operations, then uses Redis again once it is back', async () => {
    const redis = servers[0]!;
    expect(subgraph.services.cache.kind).toBe('redis');
    expect(await subgraph.services.cache.ping()).toBe(true);

    // 8 INNs, 2 per query, rotating: from the 6th query on every INN has been seen, so the cache answers.
    const pool = legalEntityInns(8, 50);
    const innsOf = (index: number) => [pool[index % pool.length]!, pool[(index + 3) % pool.length]!];

    const problems: string[] = [];
    const callsAfter: number[] = [];
    let callsAtKill = 0;
    for (let index = 0; index < RUN_LENGTH; index++) {
      const inns = innsOf(index);
      let response: GraphQLResponse;
      if (index === KILL_AFTER) {
        callsAtKill = emulator.calls.length;
        // Killed while this operation runs.
        [, response] = await Promise.all([redis.kill(), subgraph.gql(NAMES, { inns })]);
      } else {
        response = await subgraph.gql(NAMES, { inns });
      }
      problems.push(...failures(response, inns).map((problem) => `query ${index}: ${problem}`));
      callsAfter.push(emulator.calls.length);
    }

    expect(problems).toEqual([]);
    // Before the kill Redis did its job: queries 0–4 each met one new INN pair member (5 calls), queries 5–9 cost nothing.
    expect(callsAtKill).toBe(5);
    expect(
      emulator.calls
        .slice(0, callsAtKill)
        .flatMap((call) => call.ids)
        .sort(),
    ).toEqual([...pool].sort());
    // After it, nothing is cached anywhere, so every later query went to the vendor: the answers are real, not cached.
    const queriesAfterKill = RUN_LENGTH - KILL_AFTER - 1;
    expect(callsAfter.at(-1)! - callsAfter[KILL_AFTER]!).toBe(queriesAfterKill);
    expect(emulator.calls.every((call) => call.status === 200)).toBe(true);
    expect(subgraph.logs.join('')).toContain('cache store failed; answering from the vendor');

    // Redis comes back on the same port (empty): the client reconnects with backoff (≤ 5 s); poll until a repeated
    // query is answered by the cache again.
    const revived = await startRedisServer(redis.port);
    servers.push(revived);
    const probe = legalEntityInns(3, 51);
    const deadline = Date.now() + 20_000;
    let attempts = 0;
    for (;;) {
      attempts += 1;
      const fill = await subgraph.gql(NAMES, { inns: probe });
      expect(failures(fill, probe)).toEqual([]);
      const before = emulator.calls.length;
      const repeat = await subgraph.gql(NAMES, { inns: probe });
      expect(failures(repeat, probe)).toEqual([]);
      if (emulator.calls.length === before) break;
      if (Date.now() > deadline) throw new Error(`the subgraph did not use the restarted Redis within 20 s (${attempts} attempts)`);
      await sleep(200);
    }
    // The entries are in the restarted server, not in some fallback.
    expect(Number((await redisCommand(revived.port, 'DBSIZE')).slice(1))).toBeGreaterThanOrEqual(probe.length);
    expect(await subgraph.services.cache.ping()).toBe(true);

    // And the pool from before the outage is cached again after one more pass.
    await subgraph.gql(NAMES, { inns: pool });
    const before = emulator.calls.length;
    const cached = await subgraph.gql(NAMES, { inns: pool });
    expect(failures(cached, pool)).toEqual([]);
    expect(emulator.calls.length).toBe(before);
  }, 60_000);
});
