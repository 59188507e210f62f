import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBitrix24Emulator, type Bitrix24Emulator } from '../../src/modules/bitrix24/emulator/server.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { loadConfig } from '../../src/app/config.ts';
import { legalEntityInns } from '../support/inns.ts';
import { metricsText, sample } from '../support/metrics.ts';
import { reachable } from '../support/processes.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';
import { startSecondBitrix24Emulator, type SecondBitrix24Emulator } from '../support/bitrix24-emulator-2.ts';

const SECRET = 'b24-webhook-secret-5f0c2b8e9a7d';
const APP_TOKEN = 'b24-application-token-0123456789';
const ORGANISATION = 1;
const EVENTS = '/integrations/bitrix24/events';
/** The module's emulator, or the independent one written from the vendor reference alone (test/support). */
type Portal = Bitrix24Emulator | SecondBitrix24Emulator;
type StartPortal = (options: { secret: string; applicationToken: string }) => Promise<Portal>;
const PORTALS: Array<[string, StartPortal]> = [
  ['emulator', startBitrix24Emulator],
  ['independent emulator', startSecondBitrix24Emulator],
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

/** The Bitrix24 and Kontur.Focus emulators and the subgraph with the module on, events pointed back at it. */
async function startStack(env: Record<string, string> = {}, start = true, startPortal: StartPortal = startBitrix24Emulator) {
  const focus = await startEmulator();
  const bitrix = await startPortal({ secret: SECRET, applicationToken: APP_TOKEN });
  const subgraph = await startSubgraph({
    emulator: focus,
    start,
    env: {
      BITRIX24_WEBHOOK_URL: bitrix.url,
      BITRIX24_APPLICATION_TOKEN: APP_TOKEN,
      BITRIX24_MEMBER_ID: bitrix.memberId,
      BITRIX24_RISK_STAGES: 'CONTRACT,C2:CONTRACT',
      BITRIX24_SECURITY_USER_ID: '9',
      ...env,
    },
  });
  bitrix.setEventHandlers(`${subgraph.url}${EVENTS}`);
  return { focus, bitrix, subgraph };
}

/** A company with one organisation requisite holding only the INN, as a manager types it; fires ONCRMREQUISITEADD. */
function addCompanyWithInn(bitrix: Portal, inn: string, title = ''): { companyId: number; requisiteId: number } {
  const companyId = bitrix.addCompany({ TITLE: title });
  const requisiteId = bitrix.addRequisite({
    ENTITY_TYPE_ID: 4,
    ENTITY_ID: companyId,
    PRESET_ID: ORGANISATION,
    NAME: 'Реквизиты',
    RQ_INN: inn,
  });
  return { companyId, requisiteId };
}

function writesOutsideBatches(bitrix: Portal): number {
  return bitrix.calls.filter((call) => /\.(add|update)$/.test(call.method) && call.encoding !== 'batch' && call.method !== 'batch').length;
}

describe('Bitrix24 configuration', () => {
  it('refuses a webhook without the application token, and a URL that is not an incoming webhook', () => {
    expect(() => loadConfig({ BITRIX24_WEBHOOK_URL: 'https://example.bitrix24.ru/rest/1/abcdefgh12345678/' })).toThrow(
      'BITRIX24_APPLICATION_TOKEN is required with BITRIX24_WEBHOOK_URL',
    );
    expect(() => loadConfig({ BITRIX24_WEBHOOK_URL: 'https://example.bitrix24.ru/crm/', BITRIX24_APPLICATION_TOKEN: APP_TOKEN })).toThrow(
      'BITRIX24_WEBHOOK_URL must look like https://<portal>/rest/<user id>/<secret>/',
    );
    const config = loadConfig({
      BITRIX24_WEBHOOK_URL: 'https://example.bitrix24.ru/rest/1/abcdefgh12345678',
      BITRIX24_APPLICATION_TOKEN: APP_TOKEN,
      BITRIX24_RISK_STAGES: ' CONTRACT , C2:CONTRACT ',
    });
    expect(config.bitrix24).toMatchObject({
      webhookUrl: 'https://example.bitrix24.ru/rest/1/abcdefgh12345678/',
      riskStages: ['CONTRACT', 'C2:CONTRACT'],
      rateLimit: { calls: 2, windowMs: 1_000 },
    });
  });
});

describe.each(PORTALS)('Bitrix24: requisites filled when an INN is entered (S1) — %s', (_name, startPortal) => {
  let focus: FocusEmulator;
  let bitrix: Portal;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    ({ focus, bitrix, subgraph } = await startStack({}, true, startPortal));
  }, 30_000);
  afterAll(async () => {
    await subgraph?.close();
    await bitrix?.close();
    await focus?.close();
  });

  it('a requisite added with a known INN gets the registry data and a legal address; the echoes write nothing', async () => {
    const expected = (
      await subgraph.gql(
        '{ company(inn: "7736050003") { kpp ogrn shortName fullName heads { fio position } legalAddress { zipCode } status { code text } } }',
      )
    ).data.company;
    const { companyId, requisiteId } = addCompanyWithInn(bitrix, '7736050003');
    await until(() => bitrix.requisite(requisiteId)?.RQ_KPP !== undefined && bitrix.requisite(requisiteId)?.RQ_KPP !== '');
    const requisite = bitrix.requisite(requisiteId)!;
    expect(requisite.RQ_COMPANY_NAME).toBe('ПАО "ГАЗПРОМ"');
    expect(requisite).toMatchObject({
      RQ_INN: '7736050003',
      RQ_KPP: expected.kpp,
      RQ_OGRN: expected.ogrn,
      RQ_COMPANY_FULL_NAME: expected.fullName,
      RQ_DIRECTOR: expected.heads[0].fio,
      RQ_CEO_NAME: expected.heads[0].fio,
      RQ_CEO_WORK_POS: expected.heads[0].position,
    });
    await until(() => bitrix.addresses(requisiteId).length === 1 && bitrix.company(companyId)?.UF_CRM_FOCUS_STATUS !== undefined);
    expect(bitrix.addresses(requisiteId)[0]).toMatchObject({ TYPE_ID: '6', POSTAL_CODE: expected.legalAddress.zipCode, COUNTRY: 'Россия' });
    expect(bitrix.company(companyId)).toMatchObject({
      TITLE: 'ПАО "ГАЗПРОМ"',
      UF_CRM_FOCUS_STATUS: expected.status.code,
      UF_CRM_FOCUS_STATUS_TEXT: expected.status.text,
    });
    // Our writes fired ONCRMREQUISITEUPDATE again: it is read, nothing differs, nothing is written.
    const writes = () => bitrix.calls.filter((call) => call.encoding === 'batch' && /\.(add|update)$/.test(call.method)).length;
    const written = writes();
    await bitrix.settled();
    await sleep(2_000);
    await bitrix.settled();
    expect(bitrix.deliveries.filter((delivery) => delivery.event === 'ONCRMREQUISITEUPDATE').length).toBeGreaterThanOrEqual(1);
    expect(bitrix.callsTo('crm.requisite.get').length).toBeGreaterThanOrEqual(2);
    expect(writes()).toBe(written);
    expect(focus.callsTo('req').flatMap((call) => call.ids)).toEqual(['7736050003']);
  }, 30_000);

  it('an invalid INN gets a timeline comment and costs no Kontur.Focus call', async () => {
    focus.resetCalls();
    const { companyId, requisiteId } = addCompanyWithInn(bitrix, '7736050004', 'ООО Опечатка');
    await until(() => bitrix.comments('company', companyId).length === 1);
    expect(String(bitrix.comments('company', companyId)[0]!.COMMENT)).toContain('ИНН «7736050004» не прошёл проверку');
    expect(bitrix.requisite(requisiteId)!.RQ_KPP ?? '').toBe('');
    expect(focus.calls).toEqual([]);
  }, 30_000);

  it('a wrong application token is 401, and nothing is read or called', async () => {
    bitrix.resetCalls();
    focus.resetCalls();
    const body = new URLSearchParams({
      event: 'ONCRMREQUISITEUPDATE',
      'data[FIELDS][ID]': '1',
      'auth[application_token]': 'not-the-token-at-all',
      'auth[member_id]': bitrix.memberId,
    });
    const response = await fetch(`${subgraph.url}${EVENTS}`, { method: 'POST', body });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: 'the application token is missing or wrong (BITRIX24_APPLICATION_TOKEN)' },
    });
    await sleep(800);
    expect(bitrix.calls).toEqual([]);
    expect(focus.calls).toEqual([]);
  });

  it('an entity id that is not a plain positive integer is 400, and nothing is queued', async () => {
    for (const id of ['0x1F', '1e3', '0', '99999999999999999']) {
      const body = new URLSearchParams({
        event: 'ONCRMREQUISITEUPDATE',
        'data[FIELDS][ID]': id,
        'auth[application_token]': APP_TOKEN,
        'auth[member_id]': bitrix.memberId,
      });
      const response = await fetch(`${subgraph.url}${EVENTS}`, { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'data[FIELDS][ID] must be a positive integer' } });
    }
  });

  it('200 requisites edited at once: all filled, at most 3 Kontur.Focus req calls, every write in batches, nothing lost', async () => {
    focus.resetCalls();
    bitrix.resetCalls();
    const inns = legalEntityInns(200, 81);
    const added = inns.map((inn) => addCompanyWithInn(bitrix, inn, `Клиент ${inn}`));
    await until(() => added.every(({ requisiteId }) => (bitrix.requisite(requisiteId)?.RQ_OGRN ?? '') !== ''), 60_000);
    expect(focus.callsTo('req').length).toBeLessThanOrEqual(3);
    expect(new Set(focus.callsTo('req').flatMap((call) => call.ids))).toEqual(new Set(inns));
    expect(writesOutsideBatches(bitrix)).toBe(0);
    // Paced at BITRIX24_RATE_LIMIT: the portal's bucket never overflowed.
    expect(bitrix.calls.filter((call) => call.status === 503)).toEqual([]);
    for (const { requisiteId } of added) expect(bitrix.addresses(requisiteId)).toHaveLength(1);
  }, 90_000);
});

describe.each(PORTALS)('Bitrix24: risk screening when a deal reaches a risk stage (S2) — %s', (_name, startPortal) => {
  let focus: FocusEmulator;
  let bitrix: Portal;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    ({ focus, bitrix, subgraph } = await startStack({}, true, startPortal));
  }, 30_000);
  afterAll(async () => {
    await subgraph?.close();
    await bitrix?.close();
    await focus?.close();
  });

  async function dealFor(inn: string): Promise<{ dealId: number; companyId: number }> {
    const { companyId, requisiteId } = addCompanyWithInn(bitrix, inn, `Компания ${inn}`);
    await until(() => (bitrix.requisite(requisiteId)?.RQ_OGRN ?? '') !== '');
    const dealId = bitrix.addDeal({ TITLE: `Сделка ${inn}`, STAGE_ID: 'NEW', COMPANY_ID: companyId });
    return { dealId, companyId };
  }

  it('a liquidated company: risk fields written, exactly one task for security — also when the event comes three times', async () => {
    const expected = (await subgraph.gql('{ company(inn: "7725604637") { risk { level score requiresReview } } }')).data.company.risk;
    expect(expected.requiresReview).toBe(true);
    const { dealId, companyId } = await dealFor('7725604637');
    bitrix.moveDeal(dealId, 'CONTRACT');
    await until(() => bitrix.tasks().length === 1 && bitrix.deal(dealId)?.UF_CRM_FOCUS_RISK !== undefined);
    expect(bitrix.deal(dealId)).toMatchObject({
      UF_CRM_FOCUS_RISK: expected.level,
      UF_CRM_FOCUS_RISK_SCORE: String(expected.score),
      UF_CRM_FOCUS_REQUIRES_REVIEW: 'Y',
    });
    const [task] = bitrix.tasks();
    expect(task).toMatchObject({ responsibleId: '9' });
    expect(JSON.stringify(task)).toContain(`D_${dealId}`);
    expect(JSON.stringify(task)).toContain(`CO_${companyId}`);
    expect(bitrix.comments('deal', dealId).map((comment) => String(comment.COMMENT))[0]).toContain('ИНН 7725604637');

    // The same ONCRMDEALUPDATE delivered three more times: still one task.
    const body = new URLSearchParams({
      event: 'ONCRMDEALUPDATE',
      'data[FIELDS][ID]': String(dealId),
      'auth[application_token]': APP_TOKEN,
      'auth[member_id]': bitrix.memberId,
    });
    for (let i = 0; i < 3; i++) expect((await fetch(`${subgraph.url}${EVENTS}`, { method: 'POST', body })).status).toBe(200);
    await sleep(2_000);
    expect(bitrix.tasks()).toHaveLength(1);
  }, 60_000);

  it('a clean company: fields written, no task', async () => {
    const expected = (await subgraph.gql('{ company(inn: "6663003127") { risk { level score requiresReview } } }')).data.company.risk;
    expect(expected.requiresReview).toBe(false);
    const tasksBefore = bitrix.tasks().length;
    const { dealId } = await dealFor('6663003127');
    bitrix.moveDeal(dealId, 'CONTRACT');
    await until(() => bitrix.deal(dealId)?.UF_CRM_FOCUS_RISK !== undefined);
    expect(bitrix.deal(dealId)).toMatchObject({ UF_CRM_FOCUS_RISK: expected.level, UF_CRM_FOCUS_REQUIRES_REVIEW: 'N' });
    await sleep(1_000);
    expect(bitrix.tasks()).toHaveLength(tasksBefore);
  }, 60_000);

  it('a deal edited, then moved to the risk stage two seconds later: the second event is not lost to the first', async () => {
    const { dealId } = await dealFor('7707083893');
    bitrix.moveDeal(dealId, 'PREPARATION');
    await sleep(2_000);
    bitrix.moveDeal(dealId, 'CONTRACT');
    await until(() => bitrix.deal(dealId)?.UF_CRM_FOCUS_RISK !== undefined);
    expect(bitrix.comments('deal', dealId)).toHaveLength(1);
  }, 60_000);

  it('the webhook secret is in no log line and no metric; writes and events are counted', async () => {
    expect(subgraph.logs.join('\n')).not.toContain(SECRET);
    expect(subgraph.logs.join('\n')).not.toContain(APP_TOKEN);
    const metrics = await metricsText(subgraph.url);
    expect(metrics).not.toContain(SECRET);
    expect(metrics).not.toContain(APP_TOKEN);
    expect(sample(metrics, 'bitrix24_writes_total{method="tasks.task.add",outcome="ok"}')).toBe(1);
    expect(sample(metrics, 'bitrix24_events_total{event="ONCRMDEALUPDATE",outcome="received"}')).toBeGreaterThanOrEqual(2);
  });
});

describe.each(PORTALS)(
  'Bitrix24: reconciliation catches changes whose events were lost (BITRIX24_RECONCILE_INTERVAL) — %s',
  (_name, startPortal) => {
    let focus: FocusEmulator;
    let bitrix: Portal;
    let subgraph: TestSubgraph;

    beforeAll(async () => {
      ({ focus, bitrix, subgraph } = await startStack({ BITRIX24_RECONCILE_INTERVAL: '1s' }, true, startPortal));
    }, 30_000);
    afterAll(async () => {
      await subgraph?.close();
      await bitrix?.close();
      await focus?.close();
    });

    it('an INN entered while our handler was unreachable is filled by the next run; processed ones are not read again', async () => {
      const processed = addCompanyWithInn(bitrix, '7736050003', 'Через событие');
      await until(() => (bitrix.requisite(processed.requisiteId)?.RQ_OGRN ?? '') !== '');
      // The handler goes down: Bitrix24 drops the events (it never retries).
      bitrix.setEventHandlers(null);
      const lost = addCompanyWithInn(bitrix, '7708503727', 'Событие потеряно');
      await bitrix.settled();
      expect(bitrix.deliveries.filter((delivery) => delivery.id === String(lost.requisiteId))).toEqual([]);
      await until(() => (bitrix.requisite(lost.requisiteId)?.RQ_OGRN ?? '') !== '', 30_000);
      expect(bitrix.requisite(lost.requisiteId)!.RQ_COMPANY_NAME).toBe('ОАО "РЖД"');
      // Later runs list both (modified lately) but read neither again: their INNs are the ones last processed.
      bitrix.resetCalls();
      await sleep(2_500);
      expect(bitrix.callsTo('crm.requisite.list').length).toBeGreaterThanOrEqual(1);
      expect(bitrix.callsTo('crm.requisite.get')).toEqual([]);
    }, 60_000);
  },
);

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[bitrix24/bitrix24.test] skipping the restart test: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

describe.skipIf(!redisUp)('Bitrix24 events queued in Redis survive a restart', () => {
  it('events accepted while no worker ran are processed by the next process', async () => {
    const env = { CACHE_URL: REDIS_URL, CACHE_NAMESPACE: `b24-restart-${process.pid}-${Date.now()}` };
    // The first process accepts events but is stopped before it processes any (its worker never started).
    const first = await startStack(env, false);
    const { requisiteId } = addCompanyWithInn(first.bitrix, '7708503727');
    await first.bitrix.settled();
    expect(first.bitrix.deliveries.at(-1)).toMatchObject({ status: 200 });
    await first.subgraph.close();
    expect(first.bitrix.requisite(requisiteId)!.RQ_OGRN ?? '').toBe('');
    // The next process, same Redis and namespace, same portal: it finds the event and fills the requisite.
    const second = await startSubgraph({
      emulator: first.focus,
      start: true,
      env: {
        ...env,
        BITRIX24_WEBHOOK_URL: first.bitrix.url,
        BITRIX24_APPLICATION_TOKEN: APP_TOKEN,
        BITRIX24_MEMBER_ID: first.bitrix.memberId,
      },
    });
    try {
      await until(() => (first.bitrix.requisite(requisiteId)?.RQ_OGRN ?? '') !== '');
      expect(first.bitrix.requisite(requisiteId)!.RQ_COMPANY_NAME).toBe('ОАО "РЖД"');
    } finally {
      await second.close();
      await first.bitrix.close();
      await first.focus.close();
    }
  }, 60_000);
});
