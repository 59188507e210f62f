import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSupergraph, type Replica, type Supergraph } from '../../deploy/supergraph/stack.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { reachable } from '../support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../support/subgraph.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[platform/replicas-coalescing.test] skipping: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const COMPANIES = /* GraphQL */ `
  query ($inns: [String!]!) {
    companies(inns: $inns) {
      inn
      shortName
    }
  }
`;

/** The replicas require it (the stack runs Jump.Finance's emulator); the gateway sends it, direct calls here too. */
const ROUTER_SECRET = 'coalescing-test-router-secret-0123';

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'router-authorization': ROUTER_SECRET },
    body: JSON.stringify({ query, variables }),
  });
  return response.json();
}

/** The identifiers of every `req` call the vendor saw, flattened. */
function reqIdentifiers(emulator: FocusEmulator): string[] {
  return emulator.callsTo('req').flatMap((call) => call.ids);
}

describe.skipIf(!redisUp)(`three replicas, one Redis, behind Hive Gateway: one vendor call per identifier (${REDIS_URL})`, () => {
  const namespace = `coalescing-${process.pid}-${Date.now()}`;
  let emulator: FocusEmulator;
  let stack: Supergraph;
  let gateway: string;
  /** Operations through the gateway, which the balancer spreads over the replicas in turn. */
  const gql = (variables: Record<string, unknown>) => post(gateway, COMPANIES, variables);

  beforeAll(async () => {
    // Every call takes 400 ms: long enough that all replicas miss the same INNs while the first call is in flight.
    emulator = await startEmulator(400);
    const env = {
      FOCUS_BASE_URL: emulator.url,
      FOCUS_API_KEY: TEST_FOCUS_KEY,
      CACHE_URL: REDIS_URL,
      CACHE_NAMESPACE: namespace,
      CACHE_CLAIM_TTL: '2s',
      ROUTER_SECRET,
    };
    stack = await startSupergraph({ replicas: 3, env });
    gateway = stack.gatewayUrl;
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await emulator?.close();
  });

  it('10 identical cold operations over the replicas cost one req call for their 100 INNs', async () => {
    emulator.resetCalls();
    const inns = legalEntityInns(100, 41);
    const answers = await Promise.all(Array.from({ length: 10 }, () => gql({ inns })));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.companies.map((company: { inn: string }) => company.inn)).toEqual(inns);
    }
    expect(emulator.callsTo('req')).toHaveLength(1);
    expect(reqIdentifiers(emulator).sort()).toEqual([...inns].sort());
    // Every replica answered the same names (one vendor answer, read from the store by the two that waited).
    const names = answers.map((answer) => JSON.stringify(answer.data.companies));
    expect(new Set(names).size).toBe(1);
  }, 30_000);

  it('30 overlapping operations over 300 INNs: no INN fetched twice, at most 6 calls', async () => {
    emulator.resetCalls();
    const inns = legalEntityInns(300, 42);
    // Operation i asks the 100 INNs from 50·(i mod 6) on (wrapping): each half of a window is another window's half,
    // every INN is asked by 10 operations spread over the replicas. A replica claims whole halves (what it queues is
    // whole halves), so each half goes out once and whole: at most 6 calls.
    const windows = Array.from({ length: 30 }, (_, i) => Array.from({ length: 100 }, (_, k) => inns[(50 * (i % 6) + k) % 300]!));
    const answers = await Promise.all(windows.map((window) => gql({ inns: window })));
    answers.forEach((answer, i) => {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.companies.map((company: { inn: string }) => company.inn)).toEqual(windows[i]);
    });
    const fetched = reqIdentifiers(emulator);
    expect(fetched).toHaveLength(300);
    expect(new Set(fetched).size).toBe(300);
    expect(emulator.callsTo('req').length).toBeLessThanOrEqual(6);
  }, 30_000);

  it('a replica killed while holding the claims: the others fetch once its claim lapses, and answer', async () => {
    emulator.resetCalls();
    const inns = legalEntityInns(20, 43);
    emulator.setLatency(3_000);
    // Straight to the replicas (the gateway would pick one in turn): the victim claims, the two others wait for it.
    const [victim, ...others] = stack.replicas as [Replica, Replica, Replica];
    void post(`${victim.url}/graphql`, COMPANIES, { inns }).catch(() => undefined);
    for (const started = Date.now(); emulator.callsTo('req').length === 0 && Date.now() - started < 5_000;) await sleep(20);
    expect(emulator.callsTo('req')).toHaveLength(1);
    const answers = Promise.all(others.map((replica) => post(`${replica.url}/graphql`, COMPANIES, { inns })));
    await sleep(300);
    // Both wait for the victim's call rather than paying for their own.
    expect(emulator.callsTo('req')).toHaveLength(1);
    victim.kill('SIGKILL');
    emulator.setLatency(400);
    for (const answer of await answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.companies.map((company: { inn: string }) => company.inn)).toEqual(inns);
    }
    // The victim's call, then one by whichever survivor took the lapsed claims first; the other read its answer.
    expect(emulator.callsTo('req')).toHaveLength(2);
    expect(reqIdentifiers(emulator).sort()).toEqual([...inns, ...inns].sort());
  }, 30_000);
});
