import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBitrix24Emulator, type Bitrix24Emulator } from '../../src/modules/bitrix24/emulator/server.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { MonitoringJob } from '../../src/modules/monitoring/job.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';

const SECRET = 'b24-webhook-secret-alerts-71c2';
const APP_TOKEN = 'b24-application-token-alerts-0123';
const ORGANISATION = 1;
const clock = { now: Date.UTC(2026, 10, 23, 10, 0, 0) };
const STATE = `query ($inn: String!) { company(inn: $inn) { shortName status { code } heads { fio } } }`;

async function until(ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('alerts in Bitrix24: a watched company changes, its CRM companies get a comment and a task', () => {
  let focus: FocusEmulator;
  let bitrix: Bitrix24Emulator;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    focus = await startEmulator();
    // No event handler: the portal's own events play no part here.
    bitrix = await startBitrix24Emulator({ secret: SECRET, applicationToken: APP_TOKEN });
    subgraph = await startSubgraph({
      emulator: focus,
      now: () => clock.now,
      start: true,
      env: {
        BITRIX24_WEBHOOK_URL: bitrix.url,
        BITRIX24_APPLICATION_TOKEN: APP_TOKEN,
        BITRIX24_MEMBER_ID: bitrix.memberId,
        BITRIX24_SECURITY_USER_ID: '9',
        ALERT_DELIVERY_BACKOFF: '200ms',
      },
    });
  }, 30_000);
  afterAll(async () => {
    await subgraph?.close();
    await bitrix?.close();
    await focus?.close();
  });

  it('every company with a requisite of that INN gets one comment and one task per change; others nothing; redelivery writes nothing', async () => {
    let company: { inn: string; shortName: string; heads: Array<{ fio: string }> } | undefined;
    for (const inn of legalEntityInns(12, 75)) {
      const { data } = await subgraph.gql(STATE, { inn });
      if (data.company?.status.code === 'ACTIVE' && data.company.heads.length > 0) {
        company = { inn, ...data.company };
        break;
      }
    }
    const { inn, shortName } = company!;
    const head = company!.heads[0]!.fio;
    const companyWith = (rqInn: string) => {
      const id = bitrix.addCompany({ TITLE: `Клиент ${rqInn}` });
      bitrix.addRequisite({ ENTITY_TYPE_ID: 4, ENTITY_ID: id, PRESET_ID: ORGANISATION, NAME: 'Реквизиты', RQ_INN: rqInn });
      return id;
    };
    const first = companyWith(inn);
    const second = companyWith(inn);
    const other = companyWith(legalEntityInns(1, 76)[0]!);

    await subgraph.gql(`mutation ($inns: [String!]!) { watchCompanies(inns: $inns) { watched } }`, { inns: [inn] });
    for (const day of ['2026-11-22', '2026-11-23']) {
      focus.setChanges('req', day, []);
      focus.setChanges('egrDetails', day, []);
    }
    focus.changeCompany(inn, '2026-11-23', { head: { fio: 'Новиков Андрей Сергеевич' } });
    const { monitoring } = subgraph.services.modules;
    const job = new MonitoringJob(monitoring.service, subgraph.services.cache, createLogger('silent'), {
      intervalMs: 3_600_000,
      now: () => clock.now,
      tracker: monitoring.tracker,
    });
    await job.runOnce();

    const comment =
      `Контур.Фокус (мониторинг): сменился руководитель — «${head}» → «Новиков Андрей Сергеевич». ` +
      `${shortName}, ИНН ${inn}; обнаружено 23.11.2026.`;
    await until(() => bitrix.comments('company', first).length === 1 && bitrix.comments('company', second).length === 1);
    expect(bitrix.comments('company', first).map((row) => row.COMMENT)).toEqual([comment]);
    expect(bitrix.comments('company', second).map((row) => row.COMMENT)).toEqual([comment]);
    expect(bitrix.comments('company', other)).toEqual([]);
    const tasks = bitrix.tasks();
    expect(
      tasks.map((task) => ({
        title: task.title,
        responsibleId: task.responsibleId,
        ufCrmTask: task.ufCrmTask,
        description: task.description,
      })),
    ).toEqual(
      [first, second].map((id) => ({
        title: `Контур.Фокус: сменился руководитель — ${shortName}`,
        responsibleId: '9',
        ufCrmTask: [`CO_${id}`],
        description: comment,
      })),
    );
    // Found by the INN (one list), written in one batch through the module's client.
    expect(bitrix.callsTo('crm.requisite.list').map((call) => call.params.filter)).toEqual([{ ENTITY_TYPE_ID: 4, RQ_INN: inn }]);
    expect(bitrix.callsTo('batch')).toHaveLength(1);

    // The same alert delivered again (at least once): every company is done, nothing is written twice.
    const [change] = (
      await subgraph.gql(`query ($inn: String!) { companyChanges(inn: $inn) { id inn type before after companyName detectedAt source } }`, {
        inn,
      })
    ).data.companyChanges;
    const sink = subgraph.services.alertSinks().find((candidate) => candidate.name === 'bitrix24')!;
    await sink.deliver(change);
    expect(bitrix.comments('company', first)).toHaveLength(1);
    expect(bitrix.tasks()).toHaveLength(2);

    // The next day the address changes and the portal refuses one task: the delivery is retried (after the backoff)
    // and writes only that task — no second comment anywhere.
    clock.now += 86_400_000;
    focus.setChanges('req', '2026-11-24', []);
    focus.setChanges('egrDetails', '2026-11-24', []);
    focus.changeCompany(inn, '2026-11-24', {
      legalAddress: {
        zipCode: '101000',
        regionCode: '77',
        regionName: { topoShortName: 'г', topoValue: 'Москва' },
        street: { topoShortName: 'ул', topoValue: 'Мясницкая' },
        house: { topoShortName: 'д', topoValue: '1' },
      },
    });
    bitrix.injectFault({ method: 'tasks.task.add', status: 400, error: 'ACCESS_DENIED', error_description: 'Access denied', count: 1 });
    await job.runOnce();
    await until(() => bitrix.tasks().length === 4);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bitrix.tasks()).toHaveLength(4);
    for (const id of [first, second]) {
      const comments = bitrix.comments('company', id).map((row) => String(row.COMMENT));
      expect(comments).toHaveLength(2);
      expect(comments[1]).toContain('изменился юридический адрес — «');
      expect(comments[1]).toContain('» → «101000, г Москва, ул Мясницкая, д 1»');
    }
    expect(bitrix.callsTo('batch')).toHaveLength(3);
    expect(subgraph.logs.join('')).toContain('alert delivery failed; retrying with backoff');
  }, 30_000);
});
