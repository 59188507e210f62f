import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitoringJob } from '../../src/modules/monitoring/job.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';
import { startWebhookReceiver, until, validSignature, type WebhookReceiver } from './webhook-receiver.ts';

const SECRET = 'alert-signing-secret-4c1d9e7b2a';
const clock = { now: Date.UTC(2026, 10, 23, 10, 0, 0) };
const STATE = `query ($inn: String!) { company(inn: $inn) { shortName status { code } heads { fio } risk { level } } }`;
const CHANGES = `query ($inn: String!, $since: DateTime) { companyChanges(inn: $inn, since: $since) { id inn type before after companyName detectedAt source } }`;

/** The job over the subgraph's own services, on the test clock; the tracker reports what changed. */
function jobOf(subgraph: TestSubgraph): MonitoringJob {
  const { monitoring } = subgraph.services.modules;
  return new MonitoringJob(monitoring.service, subgraph.services.cache, createLogger('silent'), {
    intervalMs: 3_600_000,
    now: () => clock.now,
    tracker: monitoring.tracker,
  });
}

/** Every feed day a first run reads (the 22nd and the 23rd) pinned, so the emulator invents no change. */
function pinFeeds(emulator: FocusEmulator): void {
  for (const day of ['2026-11-22', '2026-11-23']) {
    emulator.setChanges('req', day, []);
    emulator.setChanges('egrDetails', day, []);
  }
}

/** The first of these synthetic companies that is active, with its state as the graph answers it. */
async function activeCompany(subgraph: TestSubgraph, seed: number) {
  for (const inn of legalEntityInns(12, seed)) {
    const { data } = await subgraph.gql(STATE, { inn });
    if (data.company?.status.code === 'ACTIVE' && data.company.heads.length > 0) return { inn, ...data.company };
  }
  throw new Error('no active company among the candidates');
}

/**
 * A started subgraph (the delivery worker runs, risk levels are read through the graph in process) on the test clock,
 * its emulator, and a webhook receiver it sends alerts to: for the enclosing describe block.
 */
function withAlertSubgraph() {
  const env = {} as { emulator: FocusEmulator; subgraph: TestSubgraph; receiver: WebhookReceiver };
  beforeAll(async () => {
    env.receiver = await startWebhookReceiver();
    env.emulator = await startEmulator();
    env.subgraph = await startSubgraph({
      emulator: env.emulator,
      now: () => clock.now,
      start: true,
      env: { ALERT_WEBHOOK_URLS: env.receiver.url, ALERT_WEBHOOK_SECRET: SECRET, ALERT_DELIVERY_BACKOFF: '100ms' },
    });
  });
  afterAll(async () => {
    await env.subgraph?.close();
    await env.emulator?.close();
    await env.receiver?.close();
  });
  return env;
}

describe('alerts: a watched company changes, the job tells every webhook (in-process queue)', () => {
  const env = withAlertSubgraph();

  it('status and head change: STATUS_CHANGED, HEAD_CHANGED (and the risk level) with exact before/after, signed, recorded', async () => {
    const before = await activeCompany(env.subgraph, 71);
    const watched = await env.subgraph.gql(`mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched } }`, {
      inns: [before.inn],
    });
    expect(watched.data.watchCompanies.watched).toEqual([before.inn]);

    pinFeeds(env.emulator);
    env.emulator.changeCompany(before.inn, '2026-11-23', {
      status: 'dissolving',
      head: { fio: 'Ликвидаторов Пётр Ильич', position: 'Ликвидатор' },
    });
    env.emulator.resetCalls();
    expect(await jobOf(env.subgraph).runOnce()).toEqual([before.inn]);

    // The graph now answers the new state (the job fetched it again and cached it: no further req call).
    const after = (await env.subgraph.gql(STATE, { inn: before.inn })).data.company;
    expect(after.status.code).toBe('LIQUIDATING');
    expect(after.heads[0].fio).toBe('Ликвидаторов Пётр Ильич');
    expect(env.emulator.callsTo('req')).toHaveLength(1);

    // The risk level as the graph answers it, before and after (the policy's defaults: liquidation is critical).
    expect([before.risk.level, after.risk.level]).toEqual(['LOW', 'CRITICAL']);
    const expected = [
      { type: 'STATUS_CHANGED', before: 'ACTIVE', after: 'LIQUIDATING' },
      { type: 'HEAD_CHANGED', before: before.heads[0].fio, after: 'Ликвидаторов Пётр Ильич' },
      { type: 'RISK_LEVEL_CHANGED', before: 'LOW', after: 'CRITICAL' },
    ];
    await until(() => env.receiver.received.length >= expected.length);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(env.receiver.received).toHaveLength(expected.length);
    // Delivered concurrently: in any order. Recorded (and answered by companyChanges) in the order detected.
    const order = expected.map(({ type }) => type);
    const bodies = env.receiver.received
      .map((alert) => alert.body)
      .sort((x, y) => order.indexOf(String(x.type)) - order.indexOf(String(y.type)));
    expect(bodies.map(({ type, before: was, after: now }) => ({ type, before: was, after: now }))).toEqual(expected);
    for (const alert of env.receiver.received) {
      expect(validSignature(alert, SECRET)).toBe(true);
      expect(validSignature(alert, 'another-secret-of-some-length')).toBe(false);
      expect(alert.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(alert.headers['x-alert-id']).toBe(alert.body.id);
      expect(Math.abs(Number(alert.headers['x-alert-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
      expect(alert.body).toMatchObject({
        inn: before.inn,
        companyName: before.shortName,
        detectedAt: new Date(clock.now).toISOString(),
        source: 'kontur-focus req/mon',
      });
      expect(alert.body.id).toMatch(/^[0-9a-f]{32}$/);
    }

    // companyChanges answers the same changes, with the same ids.
    const recorded = await env.subgraph.gql(CHANGES, { inn: before.inn });
    expect(recorded.errors).toBeUndefined();
    expect(recorded.data.companyChanges).toEqual(bodies);
    const later = await env.subgraph.gql(CHANGES, { inn: before.inn, since: '2026-11-23T10:00:01Z' });
    expect(later.data.companyChanges).toEqual([]);
    const bad = await env.subgraph.gql(CHANGES, { inn: '7700000000' });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');

    // Later the same day the feed lists it again: read, compared, nothing new — nothing sent, nothing recorded twice.
    await jobOf(env.subgraph).runOnce();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(env.receiver.received).toHaveLength(expected.length);
    expect((await env.subgraph.gql(CHANGES, { inn: before.inn })).data.companyChanges).toHaveLength(expected.length);
  });

  it('a receiver failing once gets the same alert, same id, again after the backoff', async () => {
    env.receiver.received.length = 0;
    const company = await activeCompany(env.subgraph, 72);
    await env.subgraph.gql(`mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched } }`, { inns: [company.inn] });
    clock.now += 86_400_000;
    for (const day of ['2026-11-23', '2026-11-24']) {
      env.emulator.setChanges('req', day, []);
      env.emulator.setChanges('egrDetails', day, []);
    }
    env.emulator.changeCompany(company.inn, '2026-11-24', {
      legalAddress: {
        zipCode: '620014',
        regionCode: '66',
        regionName: { topoShortName: 'обл', topoValue: 'Свердловская' },
        city: { topoShortName: 'г', topoValue: 'Екатеринбург' },
        street: { topoShortName: 'ул', topoValue: 'Малышева' },
        house: { topoShortName: 'д', topoValue: '5' },
      },
    });
    env.receiver.failNext(1);
    await jobOf(env.subgraph).runOnce();
    await until(() => env.receiver.received.filter((alert) => alert.status === 200).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // One change (the address), two attempts.
    expect(env.receiver.received).toHaveLength(2);
    const [failed, delivered] = env.receiver.received;
    expect(failed!.status).toBe(500);
    expect(delivered!.headers['x-alert-id']).toBe(failed!.headers['x-alert-id']);
    expect(delivered!.raw).toBe(failed!.raw);
    expect(delivered!.at - failed!.at).toBeGreaterThanOrEqual(90);
    expect(validSignature(delivered!, SECRET)).toBe(true);
    expect(delivered!.body).toMatchObject({
      type: 'ADDRESS_CHANGED',
      after: '620014, Свердловская обл, г Екатеринбург, ул Малышева, д 5',
      source: 'kontur-focus req/mon',
    });
  });

  it('the secret appears in no log line', () => {
    const logs = env.subgraph.logs.join('');
    expect(logs).toContain('alert delivered');
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(env.receiver.url);
  });
});

describe('alerts: the risk level before a change is the one kept at watch time, however old the cached record', () => {
  const env = withAlertSubgraph();

  it('a run two hours after the watch (the cached req older than CACHE_TTL_STATUS) still reports the level before → CRITICAL', async () => {
    const company = await activeCompany(env.subgraph, 72);
    await env.subgraph.gql(`mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched } }`, { inns: [company.inn] });
    // The level is read in the background after the watch: wait until it is kept.
    const changes = env.subgraph.services.modules.monitoring.changes;
    for (let tries = 0; (await changes.snapshots([company.inn]))[0]?.riskLevel === undefined; tries++) {
      expect(tries).toBeLessThan(100);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    clock.now += 2 * 3_600_000;
    pinFeeds(env.emulator);
    env.emulator.changeCompany(company.inn, '2026-11-23', { status: 'dissolving' });
    await jobOf(env.subgraph).runOnce();
    await until(() => env.receiver.received.some((delivery) => delivery.body.type === 'RISK_LEVEL_CHANGED'));
    const risk = env.receiver.received.find((delivery) => delivery.body.type === 'RISK_LEVEL_CHANGED')!;
    // The level the graph answered at watch time (MEDIUM for this synthetic company), not the one after the change.
    expect(company.risk.level).toBe('MEDIUM');
    expect([risk.body.before, risk.body.after]).toEqual(['MEDIUM', 'CRITICAL']);
  });
});
