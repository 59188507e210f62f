import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { metricsText, sample } from '../support/metrics.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';

const LIST = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName } }`;

interface Outcome {
  index: number;
  ms: number;
  body?: { data?: { companies: Array<{ inn: string } | null> | null }; errors?: Array<{ extensions?: { code?: string } }> };
  aborted?: boolean;
}

/** One operation over HTTP, timed; `signal` lets the test hang up like an impatient client. */
async function operation(url: string, index: number, inns: string[], signal?: AbortSignal): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: LIST, variables: { inns } }),
      ...(signal ? { signal } : {}),
    });
    return { index, ms: performance.now() - started, body: (await response.json()) as Outcome['body'] };
  } catch {
    return { index, ms: performance.now() - started, aborted: true };
  }
}

describe('bounded cost under a slow vendor (1.9 s per call, FOCUS_MAX_CONCURRENCY 4)', () => {
  let emulator: FocusEmulator;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    emulator = await startEmulator(1_900);
    subgraph = await startSubgraph({ emulator, env: { FOCUS_MAX_CONCURRENCY: '4' } });
  });
  afterAll(async () => {
    await subgraph?.close();
    await emulator?.close();
  });

  it('100 concurrent cold operations of 20 distinct INNs: all answered within OPERATION_TIMEOUT + 1 s, in at most 21 calls of up to 100 INNs', async () => {
    emulator.resetCalls();
    const operations = Array.from({ length: 100 }, (_, index) => legalEntityInns(20, 100 + index));
    const outcomes = await Promise.all(operations.map((inns, index) => operation(subgraph.url, index, inns)));

    for (const outcome of outcomes) {
      expect(outcome.body?.errors).toBeUndefined();
      expect(outcome.body?.data?.companies?.map((company) => company?.inn)).toEqual(operations[outcome.index]);
      expect(outcome.ms).toBeLessThan(16_000);
    }
    const sizes = emulator.calls.map((call) => call.ids.length);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(2_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes.length).toBeLessThanOrEqual(21);
    // A backlog drains in full calls: every call but the first and the last carried 100 INNs.
    expect(sizes.slice(1, -1).every((size) => size === 100)).toBe(true);
  }, 60_000);

  it('60 of 100 operations hang up after 3 s: no call is sent for INNs only they wanted, and the other 40 are answered', async () => {
    emulator.resetCalls();
    const operations = Array.from({ length: 100 }, (_, index) => legalEntityInns(20, 300 + index));
    const controllers = operations.map(() => new AbortController());
    const pending = operations.map((inns, index) => operation(subgraph.url, index, inns, controllers[index]!.signal));
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const abandonedAt = Date.now();
    for (let index = 40; index < 100; index++) controllers[index]!.abort();
    const outcomes = await Promise.all(pending);

    // An operation is abandoned if it was still waiting when its client hung up (some of the last 60 may have been
    // answered before 3 s, depending on the order their requests reached the server).
    const abandoned = outcomes.filter((outcome) => outcome.aborted).map((outcome) => outcome.index);
    expect(abandoned.length).toBeGreaterThanOrEqual(40);
    expect(abandoned.every((index) => index >= 40)).toBe(true);
    const answered = outcomes.filter((outcome) => !outcome.aborted);
    for (const outcome of answered) {
      expect(outcome.body?.errors).toBeUndefined();
      expect(outcome.body?.data?.companies?.map((company) => company?.inn)).toEqual(operations[outcome.index]);
    }
    const kept = new Set(answered.flatMap((outcome) => operations[outcome.index]!));
    // The server learns of a hang-up a moment later; every call that left after that carries only wanted INNs.
    const later = emulator.calls.filter((call) => call.at > abandonedAt + 200);
    expect(later.flatMap((call) => call.ids).filter((inn) => !kept.has(inn))).toEqual([]);
    // What only the abandoned operations wanted was mostly never sent (some left in the rounds before 3 s).
    const sent = new Set(emulator.calls.flatMap((call) => call.ids));
    const neverSent = abandoned.flatMap((index) => operations[index]!).filter((inn) => !sent.has(inn)).length;
    expect(neverSent).toBeGreaterThan(600);
    const metrics = await metricsText(subgraph.url);
    expect(sample(metrics, 'vendor_queue_abandoned_total{vendor="kontur-focus",method="req"}')).toBe(neverSent);
    expect(sample(metrics, 'vendor_queue_depth{vendor="kontur-focus"}')).toBe(0);
  }, 60_000);
});

describe('an operation deadline and load shedding', () => {
  let emulator: FocusEmulator;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    emulator = await startEmulator(0);
    subgraph = await startSubgraph({ emulator, env: { OPERATION_TIMEOUT: '1500ms', FOCUS_MAX_CONCURRENCY: '1', FOCUS_MAX_QUEUE: '150' } });
  });
  afterAll(async () => {
    await subgraph?.close();
    await emulator?.close();
  });

  it('OPERATION_TIMEOUT=1.5s against a 5 s vendor: answers after the deadline with VENDOR_TIMEOUT on what is missing; the call still fills the cache', async () => {
    const [slow, ...others] = legalEntityInns(3, 501) as [string, string, string];
    await subgraph.gql(LIST, { inns: others });
    emulator.setLatency(5_000);
    emulator.resetCalls();
    const started = performance.now();
    const result = await subgraph.gql(LIST, { inns: [...others, slow] });
    const ms = performance.now() - started;
    expect(ms).toBeGreaterThanOrEqual(1_400);
    expect(ms).toBeLessThan(2_500);
    expect(result.data.companies.map((company: { inn: string } | null) => company?.inn ?? null)).toEqual([...others, null]);
    expect(result.errors!.map((error) => [error.path, error.extensions!.code, error.extensions!.operationDeadline])).toEqual([
      [['companies', 2], 'VENDOR_TIMEOUT', true],
    ]);
    // The call that was sent is not wasted: its answer is cached once it arrives.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    emulator.setLatency(0);
    emulator.resetCalls();
    const again = await subgraph.gql(LIST, { inns: [slow] });
    expect(again.data.companies[0].inn).toBe(slow);
    expect(emulator.calls).toHaveLength(0);
  }, 30_000);
});

describe('load shedding', () => {
  let emulator: FocusEmulator;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    emulator = await startEmulator(1_000);
    subgraph = await startSubgraph({ emulator, env: { FOCUS_MAX_CONCURRENCY: '1', FOCUS_MAX_QUEUE: '150' } });
  });
  afterAll(async () => {
    await subgraph?.close();
    await emulator?.close();
  });

  it('FOCUS_MAX_QUEUE=150: lookups past the queue bound are shed with VENDOR_RATE_LIMITED and retryAfterSeconds, without a call', async () => {
    const inFlight = subgraph.gql(LIST, { inns: legalEntityInns(100, 511) });
    while (emulator.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    // One call of 100 is in flight (the only slot); 100 more wait in the queue; the next 100 would pass 150.
    const queued = subgraph.gql(LIST, { inns: legalEntityInns(100, 512) });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const shed = await subgraph.gql(LIST, { inns: legalEntityInns(100, 513) });
    expect(shed.data.companies).toEqual(Array.from({ length: 100 }, () => null));
    expect(shed.errors).toHaveLength(100);
    // The queue holds 100 INNs: one full call per slot, about 1 s each (the first estimate before any call ended).
    expect(shed.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED', shed: true, retryAfterSeconds: 1 });
    expect((await inFlight).errors).toBeUndefined();
    expect((await queued).errors).toBeUndefined();
    expect(emulator.calls.map((call) => call.ids.length)).toEqual([100, 100]);
    expect(sample(await metricsText(subgraph.url), 'vendor_queue_shed_total{vendor="kontur-focus",method="req"}')).toBe(100);
  }, 30_000);
});
