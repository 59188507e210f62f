import { describe, expect, it } from 'vitest';
import { MonitoringJob } from '../../src/modules/monitoring/job.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { legalEntityInns, unknownInn } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';

const DAY = 86_400_000;
const clock = { now: Date.UTC(2026, 10, 23, 10, 0, 0) };
const NAMES = `query ($inns: [String!]!) { companies(inns: $inns) { inn shortName } }`;

describe('monitoring', () => {
  const env = withSubgraph({ now: () => clock.now, env: { FOCUS_MONITORING_INTERVAL: '1h' } });

  it('watchCompanies appends to the monitored list and reports INNs the registry does not know', async () => {
    const [a, b] = legalEntityInns(2, 61);
    const unknown = unknownInn(61);
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(`mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched unknown totalWatched } }`, {
      inns: [a, b, unknown],
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.watchCompanies).toEqual({ watched: [a, b], unknown: [unknown], totalWatched: 2 });
    expect(env.emulator.callsTo('monList')).toHaveLength(1);
    const again = await env.subgraph.gql(`mutation { watchCompanies(inns: ["6663003127"]) { watched totalWatched } }`);
    expect(again.data.watchCompanies).toEqual({ watched: ['6663003127'], totalWatched: 3 });
  });

  it('watchCompanies refuses invalid INNs before any call', async () => {
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(`mutation { watchCompanies(inns: ["123"]) { watched } }`);
    expect(result.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(env.emulator.calls).toHaveLength(0);
  });

  it("changedCompanies answers the companies of a day's change list, per scope", async () => {
    const [a, b, c] = legalEntityInns(3, 62);
    env.emulator.setChanges('req', '2026-11-20', [a!, b!]);
    env.emulator.setChanges('egrDetails', '2026-11-20', [c!]);
    const requisites = await env.subgraph.gql(`{ changedCompanies(date: "2026-11-20") { inn shortName } }`);
    expect(requisites.errors).toBeUndefined();
    expect(requisites.data.changedCompanies.map((company: { inn: string }) => company.inn)).toEqual([a, b]);
    const details = await env.subgraph.gql(`{ changedCompanies(date: "2026-11-20", scope: REGISTRY_DETAILS) { inn } }`);
    expect(details.data.changedCompanies).toEqual([{ inn: c }]);
    const badDate = await env.subgraph.gql(`{ changedCompanies(date: "20.11.2026") { inn } }`);
    expect(badDate.errors![0]!.extensions!.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(badDate.errors![0]!.message).toContain('Date must be YYYY-MM-DD');
  });

  it('the job evicts exactly the changed companies, once, and remembers its progress across restarts', async () => {
    const job = env.subgraph.services.modules.monitoring.job!;
    const [a, b, c] = legalEntityInns(3, 63) as [string, string, string];
    await env.subgraph.gql(NAMES, { inns: [a, b, c] });
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { activities { code } } }`, { inns: [a, b, c] });

    // A first run looks back to yesterday. Every day the job reads is pinned (else the emulator invents changes).
    env.emulator.setChanges('req', '2026-11-22', [a]);
    env.emulator.setChanges('egrDetails', '2026-11-22', []);
    env.emulator.setChanges('req', '2026-11-23', []);
    env.emulator.setChanges('egrDetails', '2026-11-23', [b]);
    env.emulator.resetCalls();
    expect((await job.runOnce()).sort()).toEqual([a, b].sort());
    // Their req records were cached: the job fetched them again at once (to compare them), so they are cached anew.
    expect(
      env.emulator
        .callsTo('req')
        .flatMap((call) => call.ids)
        .sort(),
    ).toEqual([a, b].sort());

    env.emulator.resetCalls();
    await env.subgraph.gql(NAMES, { inns: [a, b, c] });
    await env.subgraph.gql(`query ($inns: [String!]!) { companies(inns: $inns) { activities { code } } }`, { inns: [a, b, c] });
    expect(env.emulator.callsTo('req')).toHaveLength(0);
    expect(
      env.emulator
        .callsTo('egrDetails')
        .flatMap((call) => call.ids)
        .sort(),
    ).toEqual([a, b].sort());

    // Later the same day: yesterday and today are read again (a company can change twice a day), so a and b are
    // evicted again; a restarted job reads its progress from the cache store and does the same.
    expect((await job.runOnce()).sort()).toEqual([a, b].sort());
    const restarted = new MonitoringJob(
      env.subgraph.services.modules.monitoring.service,
      env.subgraph.services.cache,
      createLogger('silent'),
      {
        intervalMs: 3_600_000,
        now: () => clock.now,
      },
    );
    expect((await restarted.runOnce()).sort()).toEqual([a, b].sort());

    // The next day: the 22nd is read a last time, the 23rd again (c's late change included), and the new day.
    env.emulator.setChanges('req', '2026-11-23', [c]);
    clock.now += DAY;
    env.emulator.setChanges('req', '2026-11-24', []);
    env.emulator.setChanges('egrDetails', '2026-11-24', []);
    expect((await restarted.runOnce()).sort()).toEqual([a, b, c].sort());
    // From now on the 22nd is final: it is not read again.
    env.emulator.resetCalls();
    await restarted.runOnce();
    expect(env.emulator.callsTo('req/mon').map((call) => call.at).length).toBe(2);
  });

  it('after days without a run, one run catches up day by day and records its progress: the next reads two days', async () => {
    const job = new MonitoringJob(env.subgraph.services.modules.monitoring.service, env.subgraph.services.cache, createLogger('silent'), {
      intervalMs: 3_600_000,
      now: () => clock.now,
    });
    const day = (offset: number) => new Date(clock.now + offset * DAY).toISOString().slice(0, 10);
    for (let offset = -1; offset <= 4; offset++) {
      env.emulator.setChanges('req', day(offset), []);
      env.emulator.setChanges('egrDetails', day(offset), []);
    }
    await job.runOnce();
    clock.now += 4 * DAY;
    env.emulator.resetCalls();
    await job.runOnce();
    // The six days from the one after the last final day through today, each once.
    expect(env.emulator.callsTo('req/mon')).toHaveLength(6);
    env.emulator.resetCalls();
    await job.runOnce();
    // Yesterday and today only: the days before were recorded as final one by one.
    expect(env.emulator.callsTo('req/mon')).toHaveLength(2);
  });

  it('a failed run does not stop the job: the next interval applies the changes', async () => {
    const [a] = legalEntityInns(1, 64) as [string];
    await env.subgraph.gql(NAMES, { inns: [a] });
    clock.now += DAY;
    const today = new Date(clock.now).toISOString().slice(0, 10);
    env.emulator.setChanges('req', today, [a]);
    env.emulator.setChanges('egrDetails', today, []);
    const job = new MonitoringJob(env.subgraph.services.modules.monitoring.service, env.subgraph.services.cache, createLogger('silent'), {
      intervalMs: 50,
      now: () => clock.now,
    });
    env.emulator.injectFault({ fault: { kind: 'status', status: 500 }, methods: ['req/mon'], times: 3 });
    env.emulator.resetCalls();
    job.start();
    try {
      for (let i = 0; i < 100 && env.emulator.callsTo('req/mon').filter((call) => call.status === 200).length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await job.stop();
    }
    expect(
      env.emulator
        .callsTo('req/mon')
        .map((call) => call.status)
        .slice(0, 4),
    ).toEqual([500, 500, 500, 200]);
    env.emulator.resetCalls();
    await env.subgraph.gql(NAMES, { inns: [a] });
    expect(env.emulator.callsTo('req').flatMap((call) => call.ids)).toEqual([a]);
  });
});
