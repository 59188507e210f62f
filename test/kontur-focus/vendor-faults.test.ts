/**
 * Vendor faults end to end: the emulator misbehaves (switchable faults), the real HTTP subgraph answers.
 * For each fault: the exact error code, the exact number of HTTP calls the emulator saw (retries are bounded),
 * that companies whose vendor call was not faulted still resolve in the same operation, and that nothing is left
 * in flight. Then the circuit breaker (opens, fails fast without a call, half-opens, recovers) and stale-if-error.
 *
 * Every test gets its own emulator and subgraph: the breaker's state and the cache are per process.
 * A `companies` query over 101 INNs costs two req calls (100 + 1 INNs); `whenIdsInclude: [inns[100]]` faults only
 * the second one, so the first 100 companies are the "unaffected companies in the same operation".
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorCall, EmulatorFault, FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startEmulator, startSubgraph, type GraphQLResponse, type TestSubgraph } from '../support/subgraph.ts';
import { metricsText, sample } from '../support/metrics.ts';

const NAMES = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName } }`;
const ONE = `query ($inn: String!) { company(inn: $inn) { inn shortName } }`;
const WITH_FRESHNESS = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName freshness { fetchedAt stale } } }`;
const REFRESH = `mutation ($inn: String!) { refreshCompany(inn: $inn) { inn shortName freshness { stale } } }`;

/** Small settings: a short budget where a test needs it, a breaker that opens after 3 calls and resets fast. */
const BASE_ENV: Record<string, string> = {
  FOCUS_TIMEOUT: '5s',
  FOCUS_BREAKER_ERROR_PERCENT: '50',
  FOCUS_BREAKER_MIN_CALLS: '3',
  FOCUS_BREAKER_WINDOW: '10s',
  FOCUS_BREAKER_RESET: '500ms',
};

interface Harness {
  emulator: FocusEmulator;
  subgraph: TestSubgraph;
}

let opened: Harness[] = [];
afterEach(async () => {
  const closing = opened;
  opened = [];
  for (const { subgraph, emulator } of closing) {
    await subgraph.close();
    await emulator.close();
  }
});

async function harness(env: Record<string, string> = {}): Promise<Harness> {
  const emulator = await startEmulator();
  const subgraph = await startSubgraph({ emulator, env: { ...BASE_ENV, ...env } });
  const started = { emulator, subgraph };
  opened.push(started);
  return started;
}

let seed = 40;
/** 101 fresh INNs: one operation over them costs a call for inns[0..99] and another for inns[100]. */
function twoCallInns(): { inns: string[]; target: string } {
  const inns = legalEntityInns(101, seed++);
  return { inns, target: inns[100]! };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; elapsedMs: number }> {
  const started = Date.now();
  const result = await run();
  return { result, elapsedMs: Date.now() - started };
}

const carrying = (calls: EmulatorCall[], inn: string) => calls.filter((call) => call.ids.includes(inn));
const notCarrying = (calls: EmulatorCall[], inn: string) => calls.filter((call) => !call.ids.includes(inn));

/** Every company of the answer resolved, in order, with a name. */
function expectAllResolved(response: GraphQLResponse, inns: string[]): void {
  expect(response.errors).toBeUndefined();
  const companies = response.data.companies as Array<{ inn: string; shortName: string | null } | null>;
  expect(companies.map((company) => company?.inn)).toEqual(inns);
  for (const company of companies) expect(company!.shortName).toEqual(expect.any(String));
}

/** inns[0..99] resolved; inns[100] is null with exactly one error of this code at its path. */
function expectOnlyTargetFailed(response: GraphQLResponse, inns: string[], code: string): Record<string, any> {
  expect(response.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
    { path: ['companies', 100], code },
  ]);
  const companies = response.data.companies as Array<{ inn: string; shortName: string | null } | null>;
  expect(companies).toHaveLength(101);
  expect(companies[100]).toBeNull();
  expect(companies.slice(0, 100).map((company) => company?.inn)).toEqual(inns.slice(0, 100));
  for (const company of companies.slice(0, 100)) expect(company!.shortName).toEqual(expect.any(String));
  return response.errors![0]!.extensions!;
}

/** The unfaulted call (inns[0..99]) was made exactly once; the faulted one carried only the target, `faulted` times. */
function expectCallSplit(emulator: FocusEmulator, target: string, faulted: number): void {
  const req = emulator.callsTo('req');
  expect(notCarrying(req, target).map((call) => call.ids.length)).toEqual([100]);
  expect(carrying(req, target).map((call) => call.ids)).toEqual(Array.from({ length: faulted }, () => [target]));
  expect(emulator.calls).toHaveLength(faulted + 1);
}

/** A failed call leaves nothing in flight: the next lookup of the same INN makes a call of its own. */
async function expectNothingLeftInFlight({ emulator, subgraph }: Harness, inn: string): Promise<void> {
  expect(subgraph.services.modules.focus.batchers.req.inFlightCount).toBe(0);
  emulator.clearFaults();
  emulator.resetCalls();
  const again = await subgraph.gql(ONE, { inn });
  expect(again.errors).toBeUndefined();
  expect(again.data.company).toEqual({ inn, shortName: expect.any(String) });
  expect(emulator.calls.map((call) => call.ids)).toEqual([[inn]]);
  expect(subgraph.services.modules.focus.batchers.req.inFlightCount).toBe(0);
}

const CIRCUIT_STATE = 'vendor_circuit_state{vendor="kontur-focus"}';
const CIRCUIT_OPEN_CALLS = 'vendor_calls_total{vendor="kontur-focus",method="req",outcome="circuit_open"}';

/** Polls /metrics until the breaker reports this state (0 closed, 1 half-open, 2 open). */
async function waitForCircuitState(subgraph: TestSubgraph, state: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (sample(await metricsText(subgraph.url), CIRCUIT_STATE) === state) return;
    if (Date.now() > deadline) throw new Error(`the circuit did not reach state ${state} within ${timeoutMs} ms`);
    await sleep(25);
  }
}

describe('vendor faults: retried statuses (5xx)', () => {
  it('500 twice then 200: the query succeeds after exactly 3 req calls (acceptance)', async () => {
    const { emulator, subgraph } = await harness();
    const [inn] = legalEntityInns(1, 30);
    emulator.injectFault({ fault: { kind: 'status', status: 500 }, times: 2 });
    const response = await subgraph.gql(ONE, { inn });
    expect(response.errors).toBeUndefined();
    expect(response.data.company).toEqual({ inn, shortName: expect.any(String) });
    expect(emulator.callsTo('req').map((call) => call.status)).toEqual([500, 500, 200]);
    expect(emulator.calls).toHaveLength(3);
    expect(emulator.activeFaults).toBe(0);
  });

  it('500 twice on one of two calls: all 101 companies resolve; 3 calls for the faulted one, 1 for the other', async () => {
    const { emulator, subgraph } = await harness();
    const { inns, target } = twoCallInns();
    emulator.injectFault({ fault: { kind: 'status', status: 500 }, times: 2, whenIdsInclude: [target] });
    const response = await subgraph.gql(NAMES, { inns });
    expectAllResolved(response, inns);
    expectCallSplit(emulator, target, 3);
    expect(carrying(emulator.calls, target).map((call) => call.status)).toEqual([500, 500, 200]);
  });

  it.each([
    { retries: '0', calls: 1 },
    { retries: '1', calls: 2 },
    { retries: '2', calls: 3 },
  ])(
    '503 continuously with FOCUS_RETRIES=$retries: VENDOR_UNAVAILABLE after exactly $calls call(s); the other call resolves; nothing left in flight',
    async ({ retries, calls }) => {
      const h = await harness({ FOCUS_RETRIES: retries });
      const { emulator, subgraph } = h;
      const { inns, target } = twoCallInns();
      emulator.injectFault({ fault: { kind: 'status', status: 503, body: 'Service Unavailable' }, whenIdsInclude: [target] });
      const response = await subgraph.gql(NAMES, { inns });
      const extensions = expectOnlyTargetFailed(response, inns, 'VENDOR_UNAVAILABLE');
      expect(extensions).toMatchObject({ vendor: 'kontur-focus', method: 'req', status: 503 });
      expect(extensions.circuitOpen).toBeUndefined();
      expectCallSplit(emulator, target, calls);
      expect(carrying(emulator.calls, target).every((call) => call.status === 503)).toBe(true);
      await expectNothingLeftInFlight(h, target);
    },
  );
});

describe('vendor faults: 429 with Retry-After', () => {
  it('429 (Retry-After: 0) once: retried at once, the query succeeds after 2 calls', async () => {
    const { emulator, subgraph } = await harness();
    const [inn] = legalEntityInns(1, 31);
    emulator.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 0 }, times: 1 });
    const response = await subgraph.gql(ONE, { inn });
    expect(response.errors).toBeUndefined();
    expect(response.data.company).toEqual({ inn, shortName: expect.any(String) });
    expect(emulator.calls.map((call) => call.status)).toEqual([429, 200]);
  });

  it('429 (Retry-After: 1) once with FOCUS_TIMEOUT=5s: the retry waits the second out, then succeeds (2 calls)', async () => {
    const { emulator, subgraph } = await harness({ FOCUS_TIMEOUT: '5s' });
    const [inn] = legalEntityInns(1, 32);
    emulator.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 1 }, times: 1 });
    const response = await subgraph.gql(ONE, { inn });
    expect(response.errors).toBeUndefined();
    expect(response.data.company).toEqual({ inn, shortName: expect.any(String) });
    expect(emulator.calls.map((call) => call.status)).toEqual([429, 200]);
    // Retry-After honoured: the second call came no earlier than a second after the first.
    expect(emulator.calls[1]!.at - emulator.calls[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('429 continuously (Retry-After: 0) on one call: VENDOR_RATE_LIMITED after exactly 3 calls; the other call resolves', async () => {
    const h = await harness();
    const { emulator, subgraph } = h;
    const { inns, target } = twoCallInns();
    emulator.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 0 }, whenIdsInclude: [target] });
    const response = await subgraph.gql(NAMES, { inns });
    const extensions = expectOnlyTargetFailed(response, inns, 'VENDOR_RATE_LIMITED');
    expect(extensions).toMatchObject({ vendor: 'kontur-focus', method: 'req', status: 429, retryAfterSeconds: 0 });
    expectCallSplit(emulator, target, 3);
    await expectNothingLeftInFlight(h, target);
  });

  it('429 with a Retry-After longer than the FOCUS_TIMEOUT budget: no retry at all (1 call), VENDOR_RATE_LIMITED, no wait', async () => {
    const h = await harness({ FOCUS_TIMEOUT: '5s' });
    const { emulator, subgraph } = h;
    const { inns, target } = twoCallInns();
    emulator.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 30 }, whenIdsInclude: [target] });
    const { result: response, elapsedMs } = await timed(() => subgraph.gql(NAMES, { inns }));
    const extensions = expectOnlyTargetFailed(response, inns, 'VENDOR_RATE_LIMITED');
    expect(extensions).toMatchObject({ vendor: 'kontur-focus', method: 'req', status: 429, retryAfterSeconds: 30 });
    expectCallSplit(emulator, target, 1);
    // A bound on waiting, not a performance assertion: it gave up at once instead of sleeping through the budget.
    expect(elapsedMs).toBeLessThan(2_500);
    await expectNothingLeftInFlight(h, target);
  });
});

describe('vendor faults: timeouts and connections', () => {
  it('a hanging vendor with FOCUS_TIMEOUT=1s: VENDOR_TIMEOUT after exactly 1 call (not retried), within the timeout plus a margin', async () => {
    const h = await harness({ FOCUS_TIMEOUT: '1s' });
    const { emulator, subgraph } = h;
    const { inns, target } = twoCallInns();
    emulator.injectFault({ fault: { kind: 'hang' }, whenIdsInclude: [target] });
    const { result: response, elapsedMs } = await timed(() => subgraph.gql(NAMES, { inns }));
    const extensions = expectOnlyTargetFailed(response, inns, 'VENDOR_TIMEOUT');
    expect(extensions).toMatchObject({ vendor: 'kontur-focus', method: 'req' });
    expectCallSplit(emulator, target, 1);
    expect(carrying(emulator.calls, target)[0]!.status).toBe(0);
    // A bound on a hang, not a performance assertion.
    expect(elapsedMs).toBeLessThan(3_000);
    await expectNothingLeftInFlight(h, target);
  });

  it('a reset connection on one call: retried, VENDOR_UNAVAILABLE after exactly 3 calls; the other call resolves', async () => {
    const h = await harness();
    const { emulator, subgraph } = h;
    const { inns, target } = twoCallInns();
    emulator.injectFault({ fault: { kind: 'reset' }, whenIdsInclude: [target] });
    const response = await subgraph.gql(NAMES, { inns });
    const extensions = expectOnlyTargetFailed(response, inns, 'VENDOR_UNAVAILABLE');
    expect(extensions).toMatchObject({ vendor: 'kontur-focus', method: 'req' });
    expect(extensions.circuitOpen).toBeUndefined();
    expectCallSplit(emulator, target, 3);
    await expectNothingLeftInFlight(h, target);
  });

  it('latency below FOCUS_TIMEOUT: the query succeeds after exactly 1 call', async () => {
    const { emulator, subgraph } = await harness({ FOCUS_TIMEOUT: '1s' });
    const { inns, target } = twoCallInns();
    emulator.injectFault({ fault: { kind: 'latency', ms: 300 }, whenIdsInclude: [target] });
    const response = await subgraph.gql(NAMES, { inns });
    expectAllResolved(response, inns);
    expectCallSplit(emulator, target, 1);
  });
});

describe('vendor faults: bad answers (not retried)', () => {
  const faults: Array<[string, EmulatorFault]> = [
    ['malformed JSON', { kind: 'malformedJson' }],
    ['a wrong content type', { kind: 'wrongContentType' }],
    ['an HTML page with 200', { kind: 'htmlBody' }],
  ];
  it.each(faults)('%s on one call: VENDOR_BAD_RESPONSE after exactly 1 call; the other call resolves', async (_name, fault) => {
    const h = await harness();
    const { emulator, subgraph } = h;
    const { inns, target } = twoCallInns();
    emulator.injectFault({ fault, whenIdsInclude: [target] });
    const response = await subgraph.gql(NAMES, { inns });
    const extensions = expectOnlyTargetFailed(response, inns, 'VENDOR_BAD_RESPONSE');
    expect(extensions).toMatchObject({ vendor: 'kontur-focus', method: 'req' });
    expectCallSplit(emulator, target, 1);
    expect(carrying(emulator.calls, target)[0]!.status).toBe(200);
    await expectNothingLeftInFlight(h, target);
  });
});

describe('circuit breaker', () => {
  it('opens on failures, fails fast without a vendor call, half-opens to probe, and recovers when the vendor does', async () => {
    const { emulator, subgraph } = await harness({
      FOCUS_RETRIES: '0',
      FOCUS_BREAKER_MIN_CALLS: '3',
      FOCUS_BREAKER_ERROR_PERCENT: '50',
      FOCUS_BREAKER_WINDOW: '10s',
      FOCUS_BREAKER_RESET: '1s',
    });
    const pool = legalEntityInns(12, 33);
    const [cached, ...cold] = pool as [string, ...string[]];

    // Healthy: one call, cached from now on; the circuit is closed.
    expect((await subgraph.gql(ONE, { inn: cached })).data.company.shortName).toEqual(expect.any(String));
    expect(sample(await metricsText(subgraph.url), CIRCUIT_STATE)).toBe(0);

    // Continuous 503, no retries: each query is one failed call. After the first failure 2 calls < 3 (min calls):
    // still closed; after the second, 2 of 3 calls failed (67% > 50%): open.
    emulator.injectFault({ fault: { kind: 'status', status: 503 } });
    emulator.resetCalls();
    for (const [index, inn] of cold.slice(0, 2).entries()) {
      const failed = await subgraph.gql(ONE, { inn });
      expect(failed.data.company).toBeNull();
      expect(failed.errors?.map((error) => error.extensions?.code)).toEqual(['VENDOR_UNAVAILABLE']);
      expect(failed.errors![0]!.extensions!.circuitOpen).toBeUndefined();
      expect(sample(await metricsText(subgraph.url), CIRCUIT_STATE)).toBe(index === 0 ? 0 : 2);
    }
    expect(emulator.calls.map((call) => call.status)).toEqual([503, 503]);
    let metrics: string;

    // Open: fail fast, circuitOpen, no vendor call at all; a cached company in the same operation still resolves.
    emulator.resetCalls();
    const { result: fast, elapsedMs } = await timed(() => subgraph.gql(NAMES, { inns: [cached, cold[3]!, cold[4]!] }));
    expect(emulator.calls).toHaveLength(0);
    expect(fast.data.companies[0]).toEqual({ inn: cached, shortName: expect.any(String) });
    expect(fast.data.companies.slice(1)).toEqual([null, null]);
    expect(
      fast.errors?.map((error) => ({ path: error.path, code: error.extensions?.code, circuitOpen: error.extensions?.circuitOpen })),
    ).toEqual([
      { path: ['companies', 1], code: 'VENDOR_UNAVAILABLE', circuitOpen: true },
      { path: ['companies', 2], code: 'VENDOR_UNAVAILABLE', circuitOpen: true },
    ]);
    expect(elapsedMs).toBeLessThan(1_000);
    expect(subgraph.services.modules.focus.batchers.req.inFlightCount).toBe(0);
    metrics = await metricsText(subgraph.url);
    expect(sample(metrics, CIRCUIT_STATE)).toBe(2);
    expect(sample(metrics, CIRCUIT_OPEN_CALLS)).toBeGreaterThan(0);

    // Half-open while the vendor still fails: exactly one probe call, it fails, and the circuit opens again.
    await waitForCircuitState(subgraph, 1);
    emulator.resetCalls();
    const probe = await subgraph.gql(ONE, { inn: cold[5] });
    expect(probe.errors?.map((error) => error.extensions?.code)).toEqual(['VENDOR_UNAVAILABLE']);
    expect(probe.errors![0]!.extensions!.circuitOpen).toBeUndefined();
    expect(emulator.calls.map((call) => call.ids)).toEqual([[cold[5]]]);
    expect(sample(await metricsText(subgraph.url), CIRCUIT_STATE)).toBe(2);
    emulator.resetCalls();
    const stillOpen = await subgraph.gql(ONE, { inn: cold[6] });
    expect(stillOpen.errors?.map((error) => [error.extensions?.code, error.extensions?.circuitOpen])).toEqual([
      ['VENDOR_UNAVAILABLE', true],
    ]);
    expect(emulator.calls).toHaveLength(0);

    // The vendor recovers: after the reset time the probe succeeds, the circuit closes, and later queries pass too.
    emulator.clearFaults();
    await waitForCircuitState(subgraph, 1);
    emulator.resetCalls();
    const recovered = await subgraph.gql(ONE, { inn: cold[7] });
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data.company).toEqual({ inn: cold[7], shortName: expect.any(String) });
    expect(emulator.calls.map((call) => call.ids)).toEqual([[cold[7]]]);
    expect(sample(await metricsText(subgraph.url), CIRCUIT_STATE)).toBe(0);

    emulator.resetCalls();
    const after = await subgraph.gql(NAMES, { inns: cold.slice(8) });
    expectAllResolved(after, cold.slice(8));
    const again = await subgraph.gql(NAMES, { inns: cold.slice(3, 7) });
    expectAllResolved(again, cold.slice(3, 7));
    expect(emulator.calls.map((call) => call.status)).toEqual([200, 200]);
    metrics = await metricsText(subgraph.url);
    expect(sample(metrics, CIRCUIT_STATE)).toBe(0);
    expect(sample(metrics, CIRCUIT_OPEN_CALLS)).toBe(2);
  });
});

describe('stale-if-error', () => {
  // The breaker is kept out of the way here (it would open after 2 of 3 calls failed and answer the refresh
  // without a vendor call); what is under test is the answer when the vendor itself fails.
  const TTLS = { CACHE_TTL_REQUISITES: '1s', CACHE_TTL_STATUS: '1s', FOCUS_BREAKER_MIN_CALLS: '100', REFRESH_MIN_INTERVAL: '0' };

  /** Loads `inn` (fresh), waits until its entry expired, then makes the vendor fail continuously. */
  async function expiredThenDown(h: Harness, inn: string) {
    const first = await h.subgraph.gql(WITH_FRESHNESS, { inns: [inn] });
    expect(first.errors).toBeUndefined();
    const company = first.data.companies[0];
    expect(company.freshness.stale).toBe(false);
    await sleep(1_200);
    h.emulator.injectFault({ fault: { kind: 'status', status: 503 } });
    h.emulator.resetCalls();
    return company as { inn: string; shortName: string; freshness: { fetchedAt: string; stale: boolean } };
  }

  it('CACHE_STALE_IF_ERROR=1h: an expired entry answers, marked stale, while the vendor is down; refreshCompany refuses to pass it off as fresh', async () => {
    const h = await harness({ ...TTLS, CACHE_STALE_IF_ERROR: '1h' });
    const { emulator, subgraph } = h;
    const [inn, neverLoaded] = legalEntityInns(2, 34) as [string, string];
    const before = await expiredThenDown(h, inn);

    const during = await subgraph.gql(WITH_FRESHNESS, { inns: [inn] });
    expect(during.errors).toBeUndefined();
    expect(during.data.companies[0]).toEqual({
      inn,
      shortName: before.shortName,
      freshness: { fetchedAt: before.freshness.fetchedAt, stale: true },
    });
    // It did try the vendor first: one vendor call, 1 + FOCUS_RETRIES HTTP calls.
    expect(emulator.calls.map((call) => [call.ids, call.status])).toEqual([
      [[inn], 503],
      [[inn], 503],
      [[inn], 503],
    ]);
    expect(subgraph.services.modules.focus.batchers.req.inFlightCount).toBe(0);

    // In one operation with a company nothing is cached for: that one fails, the stale one still answers.
    emulator.resetCalls();
    const mixed = await subgraph.gql(WITH_FRESHNESS, { inns: [inn, neverLoaded] });
    expect(mixed.data.companies[0]).toEqual({
      inn,
      shortName: before.shortName,
      freshness: { fetchedAt: before.freshness.fetchedAt, stale: true },
    });
    expect(mixed.data.companies[1]).toBeNull();
    expect(mixed.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
      { path: ['companies', 1], code: 'VENDOR_UNAVAILABLE' },
    ]);
    expect(emulator.calls).toHaveLength(3);

    // "Update data from Focus" during the outage: an error, not stale data passed off as fresh.
    emulator.resetCalls();
    const refresh = await subgraph.gql(REFRESH, { inn });
    expect(refresh.data.refreshCompany).toBeNull();
    expect(refresh.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
      { path: ['refreshCompany'], code: 'VENDOR_UNAVAILABLE' },
    ]);
    // Only req was ever cached for this INN, so the refresh tried req alone: one vendor call, 1 + 2 retries.
    expect(emulator.calls.map((call) => [call.method, call.ids, call.status])).toEqual([
      ['req', [inn], 503],
      ['req', [inn], 503],
      ['req', [inn], 503],
    ]);
    expect(subgraph.services.modules.focus.batchers.req.inFlightCount).toBe(0);

    expect(sample(await metricsText(subgraph.url), 'cache_lookups_total{method="req",result="stale_served"}')).toBeGreaterThanOrEqual(2);
  });

  const WITH_STATUS = `query ($inn: String!) { company(inn: $inn) { inn shortName status { code } freshness { fetchedAt stale } } }`;

  /** Loads `inn` with its status, lets it expire, takes the vendor down, and asks again (status selected). */
  async function staleWithStatus(h: Harness, inn: string) {
    const first = await h.subgraph.gql(WITH_STATUS, { inn });
    expect(first.errors).toBeUndefined();
    expect(first.data.company.freshness.stale).toBe(false);
    await sleep(1_200);
    h.emulator.injectFault({ fault: { kind: 'status', status: 503 } });
    h.emulator.resetCalls();
    return { first, during: await h.subgraph.gql(WITH_STATUS, { inn }) };
  }

  it('with `status` selected (CACHE_TTL_STATUS=1s) the expired entry still answers, status included, marked stale', async () => {
    const h = await harness({ ...TTLS, CACHE_STALE_IF_ERROR: '1h' });
    const [inn] = legalEntityInns(1, 35) as [string];
    const { first, during } = await staleWithStatus(h, inn);
    expect(during.errors).toBeUndefined();
    expect(during.data.company).toEqual({
      ...first.data.company,
      freshness: { fetchedAt: first.data.company.freshness.fetchedAt, stale: true },
    });
    // One failed vendor call (1 + FOCUS_RETRIES HTTP calls): the status field reuses the stale entry instead of asking again.
    expect(h.emulator.calls).toHaveLength(3);
    expect(h.emulator.calls.every((call) => call.status === 503 && call.ids.join() === inn)).toBe(true);
    expect(h.subgraph.services.modules.focus.batchers.req.inFlightCount).toBe(0);
  });

  it('while the circuit is open, an expired entry still answers, marked stale, without any vendor call', async () => {
    const h = await harness({
      CACHE_TTL_REQUISITES: '1s',
      CACHE_TTL_STATUS: '1s',
      CACHE_STALE_IF_ERROR: '1h',
      FOCUS_RETRIES: '0',
      FOCUS_BREAKER_MIN_CALLS: '3',
      FOCUS_BREAKER_RESET: '30s',
    });
    const { emulator, subgraph } = h;
    const [inn, ...cold] = legalEntityInns(3, 38) as [string, string, string];
    const before = await expiredThenDown(h, inn);
    // 1 ok + 2 failed calls: open.
    for (const other of cold) expect((await subgraph.gql(ONE, { inn: other })).errors?.[0]?.extensions?.code).toBe('VENDOR_UNAVAILABLE');
    expect(sample(await metricsText(subgraph.url), CIRCUIT_STATE)).toBe(2);
    emulator.resetCalls();
    const during = await subgraph.gql(WITH_FRESHNESS, { inns: [inn] });
    expect(during.errors).toBeUndefined();
    expect(during.data.companies[0]).toEqual({
      inn,
      shortName: before.shortName,
      freshness: { fetchedAt: before.freshness.fetchedAt, stale: true },
    });
    expect(emulator.calls).toHaveLength(0);
  });

  it('CACHE_STALE_IF_ERROR=0s: the same outage is VENDOR_UNAVAILABLE', async () => {
    const h = await harness({ ...TTLS, CACHE_STALE_IF_ERROR: '0s' });
    const { emulator, subgraph } = h;
    const [inn] = legalEntityInns(1, 36) as [string];
    await expiredThenDown(h, inn);
    const during = await subgraph.gql(WITH_FRESHNESS, { inns: [inn] });
    expect(during.data.companies).toEqual([null]);
    expect(during.errors?.map((error) => ({ path: error.path, code: error.extensions?.code }))).toEqual([
      { path: ['companies', 0], code: 'VENDOR_UNAVAILABLE' },
    ]);
    expect(emulator.calls.map((call) => call.status)).toEqual([503, 503, 503]);
    await expectNothingLeftInFlight(h, inn);
  });
});

describe('one budget per vendor call, and a cap on calls at once', () => {
  it('a 503 then a hang ends with VENDOR_TIMEOUT within FOCUS_TIMEOUT (retries included), after exactly 2 calls', async () => {
    const { emulator, subgraph } = await harness({ FOCUS_TIMEOUT: '1s', FOCUS_RETRIES: '2' });
    const [inn] = legalEntityInns(1, 90) as [string];
    emulator.injectFault({ fault: { kind: 'status', status: 503 }, times: 1 });
    emulator.injectFault({ fault: { kind: 'hang' } });
    const started = Date.now();
    const result = await subgraph.gql(ONE, { inn });
    // A bound on a hang, not a performance assertion: without one deadline per call this would take 2 × FOCUS_TIMEOUT.
    expect(Date.now() - started).toBeLessThan(1_800);
    expect(result.errors?.[0]?.extensions?.code).toBe('VENDOR_TIMEOUT');
    expect(emulator.calls.map((call) => call.status)).toEqual([503, 0]);
  });

  it('FOCUS_MAX_CONCURRENCY=2: a 500-company query never has more than 2 vendor calls in flight', async () => {
    const { emulator, subgraph } = await harness({ FOCUS_MAX_CONCURRENCY: '2' });
    emulator.setLatency(150);
    const inns = legalEntityInns(500, 91);
    const result = await subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { inn } }`, { inns });
    expect(result.errors).toBeUndefined();
    const arrivals = emulator.calls.map((call) => call.at).sort((a, b) => a - b);
    expect(arrivals).toHaveLength(5);
    // Each call holds its slot for at least the emulator's 150 ms, so any third call starts after one of the first two ended.
    for (let i = 2; i < arrivals.length; i++) expect(arrivals[i]! - arrivals[i - 2]!).toBeGreaterThanOrEqual(140);
  });
});
