import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../src/vendors/kontur-focus/emulator/server.ts';
import { legalEntityInns } from './support/inns.ts';
import { postGraphQL, startServerProcess } from './support/processes.ts';
import { startEmulator, TEST_FOCUS_KEY } from './support/subgraph.ts';

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
});
