import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, runLoad, startSandbox, type LoadReport, type Sandbox } from '../../bench/load-driver.ts';

/**
 * A short, bounded run of the load-test mix (bench/load-driver.ts, as `npm run loadtest` uses it): under concurrent
 * load nothing fails and nothing leaks. No timing assertions: CI machines vary.
 */
describe('load: a bounded run of the operation mix', () => {
  let sandbox: Sandbox;
  let report: LoadReport;

  beforeAll(async () => {
    sandbox = await startSandbox({ vendorLatencyMs: 5 });
    report = await runLoad(sandbox, { connections: 10, amount: 400, innPoolSize: 2000 });
    console.log(formatReport(report));
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('answers every request with 2xx and no GraphQL errors', () => {
    expect(report.responses).toBe(400);
    expect(report.non2xx).toBe(0);
    expect(report.graphqlErrorSamples).toEqual([]);
    expect(report.graphqlErrors).toBe(0);
    expect(report.byOperation.card).toBeGreaterThan(0);
    expect(report.byOperation.list).toBeGreaterThan(0);
    expect(report.byOperation.entities).toBeGreaterThan(0);
  });

  it('has no client-side errors, timeouts or mismatches', () => {
    expect(report.autocannonErrors).toBe(0);
    expect(report.timeouts).toBe(0);
    expect(report.mismatches).toBe(0);
  });

  it('leaves no subgraph connection open once the client is done', async () => {
    expect(await sandbox.settledConnections()).toBe(0);
  });

  it('every vendor call succeeded and carried at most 100 INNs', () => {
    expect(report.vendor.calls).toBeGreaterThan(0);
    expect(report.vendor.non200).toBe(0);
    expect(sandbox.emulator.calls.filter((call) => call.status !== 200)).toEqual([]);
    expect(Math.max(...sandbox.emulator.calls.map((call) => call.ids.length))).toBeLessThanOrEqual(100);
  });

  it('the cache answered part of the load (the INN pool repeats)', () => {
    expect(report.cache.hits).toBeGreaterThan(0);
    expect(report.vendor.idsSent).toBeLessThan(report.innLookups);
    expect(report.warnings).toBe(0);
  });
});
