import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { legalEntityInns } from '../support/inns.ts';
import { postGraphQL, startServerProcess } from '../support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from '../support/subgraph.ts';

describe('graceful shutdown', () => {
  let emulator: FocusEmulator;

  beforeAll(async () => {
    emulator = await startEmulator(1_500);
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('on SIGTERM an operation in flight still gets its answer, new connections are refused, and the process exits 0', async () => {
    const server = await startServerProcess({ FOCUS_BASE_URL: emulator.url, FOCUS_API_KEY: TEST_FOCUS_KEY });
    const inns = legalEntityInns(3, 92);
    const inFlight = postGraphQL(server.url, `query ($inns: [String!]!) { companies(inns: $inns) { inn } }`, { inns });
    // Wait until the vendor call is under way (the emulator answers after 1.5 s), then stop the server.
    while (emulator.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const exitCode = server.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    const answer = await inFlight;
    expect(answer.errors).toBeUndefined();
    expect(answer.data.companies.map((company: { inn: string }) => company.inn)).toEqual(inns);
    expect(await exitCode).toBe(0);
  });

  it('SHUTDOWN_GRACE=30s: 50 distinct operations in flight against a 2 s vendor, one call at a time (14 s of work), all get their answers', async () => {
    const slow = await startEmulator(2_000);
    const server = await startServerProcess({
      FOCUS_BASE_URL: slow.url,
      FOCUS_API_KEY: TEST_FOCUS_KEY,
      FOCUS_MAX_CONCURRENCY: '1',
      OPERATION_TIMEOUT: '25s',
      SHUTDOWN_GRACE: '30s',
    });
    try {
      const operations = Array.from({ length: 50 }, (_, index) => legalEntityInns(11, 600 + index));
      const answers = operations.map((inns) =>
        postGraphQL(server.url, `query ($inns: [String!]!) { companies(inns: $inns) { inn } }`, { inns }),
      );
      while (slow.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stoppedAt = performance.now();
      const exitCode = server.stop();
      const settled = await Promise.all(answers);
      const drainedMs = performance.now() - stoppedAt;
      expect(settled.map((answer) => answer.errors)).toEqual(operations.map(() => undefined));
      expect(settled.map((answer) => answer.data.companies.map((company: { inn: string }) => company.inn))).toEqual(operations);
      // Apollo's default grace (10 s) would have cut this drain short: 550 INNs, at most 100 per 2-s call, one at a time.
      expect(slow.calls.reduce((sum, call) => sum + call.ids.length, 0)).toBe(550);
      expect(drainedMs).toBeGreaterThan(10_000);
      expect(await exitCode).toBe(0);
    } finally {
      await server.stop();
      await slow.close();
    }
  }, 60_000);
});
