import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { MonitoringJob } from '../../src/modules/monitoring/job.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { legalEntityInns } from '../support/inns.ts';
import { reachable } from '../support/processes.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';
import { startWebhookReceiver, until, validSignature, type WebhookReceiver } from './webhook-receiver.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[monitoring/alerts-redis.test] skipping: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

const SECRET = 'redis-alert-secret-8e2f61c0d4';
const clock = { now: Date.UTC(2026, 10, 23, 10, 0, 0) };
const STATE = `query ($inn: String!) { company(inn: $inn) { status { code } heads { fio } } }`;
const CHANGES = `query ($inn: String!) { companyChanges(inn: $inn) { id type before after } }`;

describe.skipIf(!redisUp)(`alerts on Redis: a durable queue shared by two replicas (${REDIS_URL})`, () => {
  const namespace = `alerts-redis-${process.pid}-${Date.now()}`;
  let emulator: FocusEmulator;
  let receiver: WebhookReceiver;
  let replicas: TestSubgraph[] = [];

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    emulator = await startEmulator(20);
    const env = {
      CACHE_URL: REDIS_URL,
      CACHE_NAMESPACE: namespace,
      ALERT_WEBHOOK_URLS: receiver.url,
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_DELIVERY_BACKOFF: '300ms',
    };
    replicas = [
      await startSubgraph({ emulator, env, now: () => clock.now, start: true }),
      await startSubgraph({ emulator, env, now: () => clock.now, start: true }),
    ];
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled(replicas.map((replica) => replica.close()));
    await emulator?.close();
    await receiver?.close();
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${namespace}*`, COUNT: 500 })) if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  it('a receiver failing twice (500) gets the alert on the third try, after backoff, with the same id; a re-emit adds nothing', async () => {
    let inn = '';
    for (const candidate of legalEntityInns(12, 92)) {
      const { data } = await replicas[0]!.gql(STATE, { inn: candidate });
      if (data.company?.status.code === 'ACTIVE' && data.company.heads.length > 0) {
        inn = candidate;
        break;
      }
    }
    await replicas[0]!.gql(`mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched } }`, { inns: [inn] });
    for (const day of ['2026-11-22', '2026-11-23']) {
      emulator.setChanges('req', day, []);
      emulator.setChanges('egrDetails', day, []);
    }
    emulator.changeCompany(inn, '2026-11-23', { shortName: 'ООО "НОВОЕ ИМЯ"' });
    receiver.failNext(2);
    const { monitoring } = replicas[0]!.services.modules;
    const job = new MonitoringJob(monitoring.service, replicas[0]!.services.cache, createLogger('silent'), {
      intervalMs: 3_600_000,
      now: () => clock.now,
      tracker: monitoring.tracker,
    });
    await job.runOnce();
    await until(() => receiver.received.some((alert) => alert.status === 200), 30_000);
    const attempts = receiver.received;
    expect(attempts.map((alert) => alert.status)).toEqual([500, 500, 200]);
    expect(new Set(attempts.map((alert) => alert.headers['x-alert-id'])).size).toBe(1);
    expect(new Set(attempts.map((alert) => alert.raw)).size).toBe(1);
    // Exponential backoff: 300 ms, then 600 ms (BullMQ's delayed jobs; a little early is not allowed, late is).
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(250);
    expect(attempts[2]!.at - attempts[1]!.at).toBeGreaterThanOrEqual(550);
    for (const alert of attempts) expect(validSignature(alert, SECRET)).toBe(true);
    const delivered = attempts[2]!.body;
    expect(delivered).toMatchObject({ inn, type: 'NAME_CHANGED', after: 'ООО "НОВОЕ ИМЯ"' });

    // Recorded in Redis: the other replica answers the same change.
    const change = { id: delivered.id, type: 'NAME_CHANGED', before: delivered.before, after: 'ООО "НОВОЕ ИМЯ"' };
    expect((await replicas[1]!.gql(CHANGES, { inn })).data.companyChanges).toEqual([change]);
    expect((await replicas[0]!.gql(CHANGES, { inn })).data.companyChanges).toEqual([change]);

    // The same alert emitted again (a run that died before recording it): the queue knows the job, nothing is sent.
    await replicas[1]!.services.modules.monitoring.alerts.emit([delivered as never]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(receiver.received).toHaveLength(3);
  }, 40_000);

  it('durable: deliveries queued by a replica that stops are delivered by the next one to start', async () => {
    const env = {
      CACHE_URL: REDIS_URL,
      CACHE_NAMESPACE: `${namespace}-restart`,
      ALERT_WEBHOOK_URLS: receiver.url,
      ALERT_WEBHOOK_SECRET: SECRET,
      ALERT_DELIVERY_BACKOFF: '300ms',
    };
    // Not started: its job runs (by hand here), its delivery worker does not.
    const first = await startSubgraph({ emulator, env, now: () => clock.now });
    const [inn] = legalEntityInns(1, 95) as [string];
    await first.gql(STATE, { inn });
    await first.gql(`mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched } }`, { inns: [inn] });
    emulator.changeCompany(inn, '2026-11-23', { shortName: 'ООО "ПОСЛЕ ПЕРЕЗАПУСКА"' });
    const { monitoring } = first.services.modules;
    const job = new MonitoringJob(monitoring.service, first.services.cache, createLogger('silent'), {
      intervalMs: 3_600_000,
      now: () => clock.now,
      tracker: monitoring.tracker,
    });
    const received = receiver.received.length;
    await job.runOnce();
    await first.close();
    expect(receiver.received).toHaveLength(received);
    const second = await startSubgraph({ emulator, env, now: () => clock.now, start: true });
    try {
      await until(() => receiver.received.length > received, 20_000);
      expect(receiver.received.at(-1)!.body).toMatchObject({ inn, type: 'NAME_CHANGED', after: 'ООО "ПОСЛЕ ПЕРЕЗАПУСКА"' });
    } finally {
      await second.close();
    }
  }, 40_000);

  it('the secret appears in no log line of either replica', () => {
    const logs = replicas.flatMap((replica) => replica.logs).join('');
    expect(logs).toContain('alert delivery failed; retrying with backoff');
    expect(logs).not.toContain(SECRET);
  });
});
