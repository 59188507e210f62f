import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startBitrix24Emulator, type Bitrix24Emulator } from '../../src/modules/bitrix24/emulator/server.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';

const SECRET = 'b24-webhook-secret-app-7e1d0c4b';
const APP_TOKEN = 'b24-application-token-app-98765432';
const ACCESS_TOKEN = 'b24-access-token-0f9e8d7c6b5a4f3e2d1c';
const ORGANISATION = 1;
const PLACEMENT = '/integrations/bitrix24/placements/company-refresh';
const ROBOT = '/integrations/bitrix24/robots/risk-check';
const LIQUIDATED = '7725604637';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(ready: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(50);
  }
}

/**
 * The emulators and the subgraph, the portal answering app-context calls with ACCESS_TOKEN. No event handler: only the
 * application's handlers write here. REFRESH_MIN_INTERVAL 0, so a forced refresh is a Kontur.Focus call however fresh
 * the cache (the button's own once-a-minute limit is what is tested).
 */
async function startStack() {
  const focus = await startEmulator();
  const bitrix = await startBitrix24Emulator({ secret: SECRET, applicationToken: APP_TOKEN, appAccessToken: ACCESS_TOKEN });
  const subgraph = await startSubgraph({
    emulator: focus,
    start: true,
    env: {
      BITRIX24_WEBHOOK_URL: bitrix.url,
      BITRIX24_APPLICATION_TOKEN: APP_TOKEN,
      BITRIX24_MEMBER_ID: bitrix.memberId,
      REFRESH_MIN_INTERVAL: '0',
    },
  });
  return { focus, bitrix, subgraph };
}

describe('Bitrix24 application handlers (S3: the company card button, the risk robot)', () => {
  let focus: FocusEmulator;
  let bitrix: Bitrix24Emulator;
  let subgraph: TestSubgraph;

  beforeAll(async () => {
    ({ focus, bitrix, subgraph } = await startStack());
  }, 30_000);
  afterAll(async () => {
    await subgraph?.close();
    await bitrix?.close();
    await focus?.close();
  });

  function companyWithInn(inn: string, title = ''): { companyId: number; requisiteId: number } {
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

  function click(companyId: number, overrides: Record<string, string> = {}) {
    const body = new URLSearchParams({
      AUTH_ID: ACCESS_TOKEN,
      AUTH_EXPIRES: '3600',
      REFRESH_ID: 'refresh-token',
      member_id: bitrix.memberId,
      DOMAIN: 'attacker.example',
      PLACEMENT: 'CRM_COMPANY_DETAIL_TOOLBAR',
      PLACEMENT_OPTIONS: JSON.stringify({ ID: String(companyId) }),
      ...overrides,
    });
    return fetch(`${subgraph.url}${PLACEMENT}`, { method: 'POST', body });
  }

  function robot(document: string, properties: Record<string, string> = {}, auth: Record<string, string> = {}) {
    const body = new URLSearchParams({
      workflow_id: 'wf-1',
      code: 'focus_risk_check',
      'document_id[0]': 'crm',
      'document_id[1]': 'CCrmDocumentDeal',
      'document_id[2]': document,
      'document_type[0]': 'crm',
      'document_type[1]': 'CCrmDocumentDeal',
      'document_type[2]': 'DEAL',
      event_token: `event-token-${document}`,
      ...Object.fromEntries(Object.entries(properties).map(([name, value]) => [`properties[${name}]`, value])),
      'auth[access_token]': ACCESS_TOKEN,
      'auth[domain]': 'attacker.example',
      'auth[client_endpoint]': 'https://attacker.example/rest/',
      'auth[member_id]': bitrix.memberId,
      'auth[application_token]': APP_TOKEN,
      ...Object.fromEntries(Object.entries(auth).map(([name, value]) => [`auth[${name}]`, value])),
    });
    return fetch(`${subgraph.url}${ROBOT}`, { method: 'POST', body });
  }

  describe('the "Update data from Focus" button', () => {
    beforeEach(() => {
      bitrix.resetCalls();
      focus.resetCalls();
    });

    it('refetches from Kontur.Focus although cached, fills the requisite and says what changed; a second click within a minute pays nothing', async () => {
      const inn = '7736050003';
      const expected = (await subgraph.gql(`{ company(inn: "${inn}") { kpp ogrn shortName legalAddress { zipCode } status { code } } }`))
        .data.company;
      expect(focus.callsTo('req')).toHaveLength(1);
      const { companyId, requisiteId } = companyWithInn(inn);

      const response = await click(companyId);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await response.text();
      expect(html).toContain(
        'Обновлено из Контур.Фокус: сокращённое наименование, полное наименование, КПП, ОГРН, ОКПО, ОКТМО, дата регистрации, руководитель, должность руководителя, юридический адрес, статус, ссылка на Контур.Фокус, название компании.',
      );
      // Cached a moment ago, and still asked again: the button forces the refetch.
      expect(focus.callsTo('req').flatMap((call) => call.ids)).toEqual([inn, inn]);
      expect(bitrix.requisite(requisiteId)).toMatchObject({
        RQ_KPP: expected.kpp,
        RQ_OGRN: expected.ogrn,
        RQ_COMPANY_NAME: expected.shortName,
      });
      expect(bitrix.addresses(requisiteId)[0]).toMatchObject({ TYPE_ID: '6', POSTAL_CODE: expected.legalAddress.zipCode });
      expect(bitrix.company(companyId)).toMatchObject({ TITLE: expected.shortName, UF_CRM_FOCUS_STATUS: expected.status.code });
      // The token was checked against the configured portal, never the DOMAIN the request named.
      expect(bitrix.callsTo('crm.company.get').some((call) => call.encoding === 'json' && call.status === 200)).toBe(true);

      // A manager blanks the KPP, clicks again within the minute: the cached data, no new Kontur.Focus call.
      bitrix.updateRequisite(requisiteId, { RQ_KPP: '' });
      const again = await click(companyId);
      expect(again.status).toBe(200);
      const second = await again.text();
      expect(second).toContain('Данные актуальны (обновлялись из Контур.Фокус менее минуты назад).');
      expect(second).toContain('Исправлено по этим данным: КПП.');
      expect(focus.callsTo('req')).toHaveLength(2);
      expect(bitrix.requisite(requisiteId)!.RQ_KPP).toBe(expected.kpp);
    }, 30_000);

    it('an unchanged company: fresh data, nothing written', async () => {
      const { companyId } = companyWithInn('7708503727', 'РЖД');
      expect((await click(companyId)).status).toBe(200);
      bitrix.resetCalls();
      const html = await (await click(companyId)).text();
      expect(html).toContain('<p>Данные актуальны (обновлялись из Контур.Фокус менее минуты назад).</p></body>');
      expect(bitrix.calls.filter((call) => /\.(add|update)$/.test(call.method))).toEqual([]);
    }, 30_000);

    it("the portal's text is escaped: an INN typed as markup comes back as text", async () => {
      const { companyId } = companyWithInn('<img src=x onerror=alert(1)>');
      const response = await click(companyId);
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).not.toContain('<img');
      expect(html).toContain('ИНН «&#60;img src=x onerror=alert(1)&#62;» не прошёл проверку');
      expect(focus.calls).toEqual([]);
    });

    it('another portal: 401, nothing read or called', async () => {
      const { companyId } = companyWithInn('7736050003');
      bitrix.resetCalls();
      const response = await click(companyId, { member_id: 'another-portal' });
      expect(response.status).toBe(401);
      expect(await response.text()).toContain('Запрос пришёл не с того портала Битрикс24.');
      await sleep(300);
      expect(bitrix.calls).toEqual([]);
      expect(focus.calls).toEqual([]);
    });

    it('a token the portal refuses: 401, only the refused check was sent', async () => {
      const { companyId } = companyWithInn('7736050003');
      bitrix.resetCalls();
      const response = await click(companyId, { AUTH_ID: 'a-forged-access-token' });
      expect(response.status).toBe(401);
      expect(await response.text()).toContain('Битрикс24 не подтвердил ключ доступа.');
      await sleep(300);
      expect(bitrix.calls.map((call) => [call.method, call.status])).toEqual([['crm.company.get', 401]]);
      expect(focus.calls).toEqual([]);
      expect(subgraph.logs.join('\n')).not.toContain('a-forged-access-token');
      // The same forged token again: refused without asking the portal (its budget is not spent on junk).
      const again = await click(companyId, { AUTH_ID: 'a-forged-access-token' });
      expect(again.status).toBe(401);
      await sleep(300);
      expect(bitrix.calls).toHaveLength(1);
    });

    it('a company the user cannot see: 404, nothing paid', async () => {
      const response = await click(999_999);
      expect(response.status).toBe(404);
      expect(focus.calls).toEqual([]);
    });
  });

  describe('the risk-check robot', () => {
    let expected: { values: Record<string, unknown> };

    beforeAll(async () => {
      const company = (
        await subgraph.gql(
          `{ company(inn: "${LIQUIDATED}") { risk { level score requiresReview factors { title severity } } status { code } } }`,
        )
      ).data.company;
      expect(company.status.code).toBe('LIQUIDATED');
      expected = {
        values: {
          riskLevel: company.risk.level,
          riskScore: company.risk.score,
          requiresReview: company.risk.requiresReview ? 'Y' : 'N',
          statusCode: company.status.code,
          reasons: (company.risk.factors as Array<{ title: string; severity: string }>)
            .filter((factor) => factor.severity !== 'GREEN')
            .map((factor) => factor.title)
            .join('\n'),
        },
      };
      expect(expected.values.requiresReview).toBe('Y');
      expect(expected.values.reasons).not.toBe('');
    });

    it("answers 200 at once, then bizproc.event.send with the deal's company's risk", async () => {
      const { companyId } = companyWithInn(LIQUIDATED, 'Ромашка');
      const dealId = bitrix.addDeal({ TITLE: 'Аренда склада', STAGE_ID: 'NEW', COMPANY_ID: companyId });
      const before = bitrix.bizprocEvents().length;
      const response = await robot(`DEAL_${dealId}`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ accepted: true });
      await until(() => bitrix.bizprocEvents().length === before + 1);
      const event = bitrix.bizprocEvents().at(-1)!;
      expect(event.event_token).toBe(`event-token-DEAL_${dealId}`);
      expect(event.return_values).toEqual(expected.values);
      expect(String(event.log_message)).toContain(`ИНН ${LIQUIDATED}`);
    }, 30_000);

    it('the INN given to the robot wins over the deal', async () => {
      const dealId = bitrix.addDeal({ TITLE: 'Без компании', STAGE_ID: 'NEW' });
      const before = bitrix.bizprocEvents().length;
      expect((await robot(`DEAL_${dealId}`, { inn: LIQUIDATED })).status).toBe(200);
      await until(() => bitrix.bizprocEvents().length === before + 1);
      expect(bitrix.bizprocEvents().at(-1)!.return_values).toEqual(expected.values);
    }, 30_000);

    it('an invalid INN and a deal without a company: UNKNOWN, saying why', async () => {
      const dealId = bitrix.addDeal({ TITLE: 'Без компании', STAGE_ID: 'NEW' });
      const before = bitrix.bizprocEvents().length;
      focus.resetCalls();
      expect((await robot(`DEAL_${dealId}`, { inn: '7736050004' })).status).toBe(200);
      await until(() => bitrix.bizprocEvents().length === before + 1);
      const event = bitrix.bizprocEvents().at(-1)!;
      const reason = 'ИНН «7736050004» из параметра робота не прошёл проверку контрольного числа. У сделки нет компании.';
      expect(event.return_values).toEqual({
        riskLevel: 'UNKNOWN',
        riskScore: '',
        requiresReview: 'Y',
        statusCode: 'UNKNOWN',
        reasons: reason,
      });
      expect(event.log_message).toBe(`Контур.Фокус: проверка не выполнена — ${reason}`);
      expect(focus.calls).toEqual([]);
    }, 30_000);

    it('a wrong application token: 401, nothing read or sent', async () => {
      bitrix.resetCalls();
      focus.resetCalls();
      const before = bitrix.bizprocEvents().length;
      const response = await robot('DEAL_1', { inn: LIQUIDATED }, { application_token: 'not-the-application-token' });
      expect(response.status).toBe(401);
      await sleep(500);
      expect(bitrix.bizprocEvents()).toHaveLength(before);
      expect(bitrix.calls).toEqual([]);
      expect(focus.calls).toEqual([]);
    });

    it('another portal: 401, nothing sent', async () => {
      bitrix.resetCalls();
      const response = await robot('DEAL_1', { inn: LIQUIDATED }, { member_id: 'another-portal' });
      expect(response.status).toBe(401);
      await sleep(300);
      expect(bitrix.calls).toEqual([]);
    });
  });

  it('no token or secret is in any log line', () => {
    const logs = subgraph.logs.join('\n');
    for (const secret of [SECRET, APP_TOKEN, ACCESS_TOKEN]) expect(logs).not.toContain(secret);
  });
});
