import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  parseForm,
  startBitrix24Emulator,
  type Bitrix24Emulator,
  type Bitrix24EmulatorOptions,
} from '../../src/modules/bitrix24/emulator/server.ts';

const SECRET = 'b24.TestSecret_q8Zr2Lm7Xv';
/** 2025-04-01T09:00:00Z = 12:00 in Moscow. */
const T0 = Date.parse('2025-04-01T09:00:00Z');

interface Answer {
  status: number;
  body: any;
}

async function send(url: string, body?: Record<string, unknown> | string): Promise<Answer> {
  const init: RequestInit =
    body === undefined
      ? {}
      : typeof body === 'string'
        ? { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }
        : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json() };
}

/** A test handler for outgoing events: every request's content type and raw body. */
async function startHandler(): Promise<{ url: string; received: Array<{ contentType: string; body: string }>; close(): Promise<void> }> {
  const received: Array<{ contentType: string; body: string }> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ contentType: String(req.headers['content-type']), body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/integrations/bitrix24/events`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the Bitrix24 emulator answers like the vendor reference', () => {
  let emulator: Bitrix24Emulator;
  let now = T0;
  const call = (method: string, body?: Record<string, unknown> | string) => send(`${emulator.url}${method}`, body);

  const start = async (options: Partial<Bitrix24EmulatorOptions> = {}) => {
    await emulator?.close();
    now = T0;
    emulator = await startBitrix24Emulator({ secret: SECRET, clock: () => now, rateLimit: null, ...options });
  };
  afterAll(async () => {
    await emulator?.close();
  });

  describe('a seeded portal, unlimited', () => {
    beforeAll(() => start({ seed: true }));

    it('refuses a wrong webhook: 401 INVALID_CREDENTIALS; no credentials 401 NO_AUTH_FOUND; an unknown method 404', async () => {
      const origin = emulator.origin;
      expect(emulator.url).toBe(`${origin}/rest/1/${SECRET}/`);
      expect(await send(`${origin}/rest/1/wrong-secret/crm.company.get.json?id=1`)).toEqual({
        status: 401,
        body: { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' },
      });
      expect((await send(`${origin}/rest/2/${SECRET}/crm.company.get?id=1`)).body.error).toBe('INVALID_CREDENTIALS');
      expect(await send(`${origin}/rest/crm.company.get.json?id=1`)).toEqual({
        status: 401,
        body: { error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' },
      });
      expect(await call('crm.company.fetch.json')).toEqual({
        status: 404,
        body: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' },
      });
      expect(emulator.calls.slice(-4).map((c) => [c.method, c.status, c.error, c.authorized])).toEqual([
        ['crm.company.get', 401, 'INVALID_CREDENTIALS', false],
        ['crm.company.get', 401, 'INVALID_CREDENTIALS', false],
        ['crm.company.get', 401, 'NO_AUTH_FOUND', false],
        ['crm.company.fetch', 404, 'ERROR_METHOD_NOT_FOUND', true],
      ]);
      expect(JSON.stringify(emulator.calls)).not.toContain(SECRET);
    });

    it('has the sandbox seed: companies with one requisite each (preset by ИНН length) and one deal each', async () => {
      const requisites = await call('crm.requisite.list.json', {
        filter: { ENTITY_TYPE_ID: 4 },
        select: ['ENTITY_ID', 'PRESET_ID', 'RQ_INN'],
      });
      expect(requisites.body.result).toEqual([
        { ENTITY_ID: '1', PRESET_ID: '1', RQ_INN: '7736050003' },
        { ENTITY_ID: '2', PRESET_ID: '1', RQ_INN: '7708503727' },
        { ENTITY_ID: '3', PRESET_ID: '1', RQ_INN: '6663003127' },
        { ENTITY_ID: '4', PRESET_ID: '1', RQ_INN: '7725604637' },
        { ENTITY_ID: '5', PRESET_ID: '2', RQ_INN: '366512608416' },
      ]);
      expect(requisites.body.total).toBe(5);
      expect(requisites.body.next).toBeUndefined();
      const deals = await call('crm.deal.list', { select: ['ID', 'COMPANY_ID', 'CATEGORY_ID', 'STAGE_ID'], filter: { '!CATEGORY_ID': 0 } });
      expect(deals.body.result).toEqual([
        { ID: '4', COMPANY_ID: '4', CATEGORY_ID: '2', STAGE_ID: 'C2:NEW' },
        { ID: '5', COMPANY_ID: '5', CATEGORY_ID: '2', STAGE_ID: 'C2:CONTRACT' },
      ]);
      const presets = await call('crm.requisite.preset.list', { filter: { COUNTRY_ID: 1 }, select: ['ID', 'NAME', 'XML_ID'] });
      expect(presets.body.result.slice(0, 2)).toEqual([
        { ID: '1', NAME: 'Организация', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_COMPANY#' },
        { ID: '2', NAME: 'ИП', XML_ID: '#CRM_REQUISITE_PRESET_DEF_RU_INDIVIDUAL#' },
      ]);
    });

    it('reads JSON and PHP-style bracket forms alike; crm.company.update ignores requisite fields, keeps UF_CRM_*', async () => {
      const added = await call('crm.company.add.json', { fields: { TITLE: 'ООО Тест', UF_CRM_FOCUS_STATUS: 'ACTIVE' } });
      expect(added.status).toBe(200);
      expect(added.body.result).toBe(6);
      expect(added.body.time).toMatchObject({ date_start: '2025-04-01T12:00:00+03:00', operating: 0, operating_reset_at: T0 / 1000 + 600 });
      now += 60_000;
      const form = new URLSearchParams({
        id: '6',
        'fields[TITLE]': 'ООО "Тест"',
        'fields[RQ_INN]': '7707083893',
        'fields[UF_CRM_FOCUS_RISK_REASONS][]': 'a',
      });
      form.append('fields[UF_CRM_FOCUS_RISK_REASONS][]', 'b');
      expect(await call('crm.company.update', form.toString())).toMatchObject({ status: 200, body: { result: true } });
      expect(emulator.calls.at(-1)).toMatchObject({ method: 'crm.company.update', encoding: 'form', status: 200 });
      const company = (await call(`crm.company.get.json?id=6`)).body.result;
      expect(company).toMatchObject({
        ID: '6',
        TITLE: 'ООО "Тест"',
        UF_CRM_FOCUS_STATUS: 'ACTIVE',
        UF_CRM_FOCUS_RISK_REASONS: ['a', 'b'],
        DATE_CREATE: '2025-04-01T12:00:00+03:00',
        DATE_MODIFY: '2025-04-01T12:01:00+03:00',
        CREATED_BY_ID: '1',
        MODIFY_BY_ID: '1',
      });
      expect(company.RQ_INN).toBeUndefined();
      // A list leaves user fields out unless selected.
      const listed = await call('crm.company.list', 'filter[ID]=6&select[]=*&select[]=UF_*');
      expect(listed.body.result[0].UF_CRM_FOCUS_STATUS).toBe('ACTIVE');
      expect((await call('crm.company.list', 'filter[ID]=6')).body.result[0].UF_CRM_FOCUS_STATUS).toBeUndefined();
      expect(await call('crm.company.get?id=999')).toEqual({ status: 400, body: { error: 'NOT_FOUND', error_description: 'Not found' } });
    });

    it('requisites: required fields, immutable preset, filters by ИНН and >DATE_MODIFY; one address per type, replaced whole', async () => {
      expect(await call('crm.requisite.add', { fields: { ENTITY_TYPE_ID: 4, ENTITY_ID: 6, PRESET_ID: 1 } })).toEqual({
        status: 400,
        body: { error: 'INVALID_ARG_VALUE', error_description: "The field 'NAME' is required." },
      });
      now = T0 + 3_600_000;
      const id = (
        await call(
          'crm.requisite.add',
          'fields[ENTITY_TYPE_ID]=4&fields[ENTITY_ID]=6&fields[PRESET_ID]=1&fields[NAME]=Организация&fields[RQ_INN]=7707083893',
        )
      ).body.result;
      expect(id).toBe(6);
      expect((await call('crm.requisite.update', { id, fields: { PRESET_ID: 2 } })).body).toEqual({
        error: 'INVALID_ARG_VALUE',
        error_description: "The field 'PRESET_ID' cannot be changed.",
      });
      expect((await call('crm.requisite.update', { id, fields: { PRESET_ID: 1, RQ_KPP: '773601001' } })).body.result).toBe(true);
      const byInn = await call('crm.requisite.list', { filter: { RQ_INN: '7707083893', ENTITY_TYPE_ID: 4 }, select: ['ID', 'RQ_KPP'] });
      expect(byInn.body).toMatchObject({ result: [{ ID: '6', RQ_KPP: '773601001' }], total: 1 });
      const since = await call('crm.requisite.list', 'filter[>DATE_MODIFY]=2025-04-01T12:30:00%2B03:00&select[]=ID');
      expect(since.body.result).toEqual([{ ID: '6' }]);

      const address = {
        TYPE_ID: 6,
        ENTITY_TYPE_ID: 8,
        ENTITY_ID: id,
        POSTAL_CODE: '117997',
        CITY: 'Москва',
        ADDRESS_1: 'ул Вавилова, дом 19',
      };
      expect((await call('crm.address.add', { fields: address })).body.result).toBe(true);
      expect((await call('crm.address.add', { fields: address })).body).toEqual({
        error: 'INVALID_ARG_VALUE',
        error_description: 'TypeAddress exists',
      });
      expect(
        (await call('crm.address.update', { fields: { TYPE_ID: 6, ENTITY_TYPE_ID: 8, ENTITY_ID: id, CITY: 'Москва' } })).body.result,
      ).toBe(true);
      expect(emulator.addresses(id)).toEqual([
        {
          TYPE_ID: '6',
          ENTITY_TYPE_ID: '8',
          ENTITY_ID: '6',
          ADDRESS_1: '',
          ADDRESS_2: '',
          CITY: 'Москва',
          POSTAL_CODE: '',
          REGION: '',
          PROVINCE: '',
          COUNTRY: '',
          COUNTRY_CODE: '',
          LOC_ADDR_ID: '',
          ANCHOR_TYPE_ID: '4',
          ANCHOR_ID: '6',
        },
      ]);
      const listed = await call('crm.address.list', { filter: { ENTITY_TYPE_ID: 8, ENTITY_ID: id, TYPE_ID: 6 }, select: ['CITY'] });
      expect(listed.body.result).toEqual([{ CITY: 'Москва' }]);
      expect((await call('crm.address.add', { fields: { ...address, ENTITY_TYPE_ID: 4, ENTITY_ID: 6 } })).body.error).toBe(
        'INVALID_ARG_VALUE',
      );
    });

    it('deals: stages stay in their pipeline, UF_CRM_* stored; tasks, timeline comments, notifications by tag', async () => {
      expect((await call('crm.deal.update', { id: 1, fields: { STAGE_ID: 'C2:CONTRACT' } })).body).toEqual({
        error: 'INVALID_ARG_VALUE',
        error_description: "Invalid stage for the deal's pipeline: C2:CONTRACT",
      });
      expect((await call('crm.deal.update', { id: 1, fields: { STAGE_ID: 'WON', UF_CRM_FOCUS_RISK: 'HIGH' } })).body.result).toBe(true);
      expect(emulator.deal(1)).toMatchObject({ STAGE_ID: 'WON', STAGE_SEMANTIC_ID: 'S', CLOSED: 'Y', UF_CRM_FOCUS_RISK: 'HIGH' });

      const task = await call('tasks.task.add', {
        fields: { TITLE: 'Проверить контрагента', RESPONSIBLE_ID: 12, UF_CRM_TASK: ['D_1', 'CO_1'] },
      });
      expect(task.body.result).toEqual({
        task: {
          id: '1',
          title: 'Проверить контрагента',
          description: '',
          responsibleId: '12',
          createdBy: '1',
          createdDate: expect.stringMatching(/\+03:00$/),
          deadline: null,
          status: '2',
          auditors: [],
          accomplices: [],
          ufCrmTask: ['D_1', 'CO_1'],
        },
      });
      const found = await call('tasks.task.list', { filter: { UF_CRM_TASK: 'D_1' }, select: ['ID', 'TITLE'] });
      expect(found.body).toMatchObject({ result: { tasks: [{ id: '1', title: 'Проверить контрагента' }] }, total: 1 });
      expect((await call('tasks.task.list', { filter: { UF_CRM_TASK: 'D_2' } })).body.result.tasks).toEqual([]);

      expect(
        (await call('crm.timeline.comment.add', { fields: { ENTITY_ID: 1, ENTITY_TYPE: 'deal', COMMENT: 'Фокус: ликвидация' } })).body
          .result,
      ).toBe(1);
      expect(emulator.comments('deal', 1)).toEqual([
        { ID: '1', CREATED: expect.any(String), ENTITY_ID: '1', ENTITY_TYPE: 'deal', AUTHOR_ID: '1', COMMENT: 'Фокус: ликвидация' },
      ]);
      expect((await call('crm.timeline.comment.add', { fields: { ENTITY_ID: 99, ENTITY_TYPE: 'deal', COMMENT: 'x' } })).body.error).toBe(
        'NOT_FOUND',
      );

      await call('im.notify.personal.add', { USER_ID: 7, MESSAGE: 'Риск высокий', TAG: 'FOCUS_RISK_D_1' });
      await call('im.notify.personal.add', { USER_ID: 7, MESSAGE: 'Риск низкий', TAG: 'FOCUS_RISK_D_1' });
      expect(emulator.notifications().map((n) => n.MESSAGE)).toEqual(['Риск низкий']);
    });

    it('user fields get the UF_CRM_ prefix and enumeration item ids', async () => {
      const id = (
        await call('crm.company.userfield.add', {
          fields: { FIELD_NAME: 'FOCUS_STATUS', USER_TYPE_ID: 'enumeration', LIST: [{ VALUE: 'ACTIVE' }, { VALUE: 'LIQUIDATED' }] },
        })
      ).body.result;
      const field = (await call('crm.company.userfield.get', { id })).body.result;
      expect(field).toMatchObject({ FIELD_NAME: 'UF_CRM_FOCUS_STATUS', ENTITY_ID: 'CRM_COMPANY', USER_TYPE_ID: 'enumeration' });
      expect(field.LIST.map((item: any) => item.VALUE)).toEqual(['ACTIVE', 'LIQUIDATED']);
      expect((await call('crm.company.userfield.add', { fields: { FIELD_NAME: 'FOCUS_STATUS', USER_TYPE_ID: 'string' } })).body.error).toBe(
        'INVALID_ARG_VALUE',
      );
      expect((await call('crm.company.userfield.add', { fields: { FIELD_NAME: 'X'.repeat(44), USER_TYPE_ID: 'string' } })).body.error).toBe(
        'INVALID_ARG_VALUE',
      );
    });

    it('app-only methods refuse a webhook with WRONG_AUTH_TYPE', async () => {
      expect(
        await call('placement.bind', { PLACEMENT: 'CRM_COMPANY_DETAIL_TOOLBAR', HANDLER: 'https://x/', TITLE: 'Обновить из Фокуса' }),
      ).toEqual({
        status: 401,
        body: { error: 'WRONG_AUTH_TYPE', error_description: 'Application context required' },
      });
      expect((await call('bizproc.robot.add', { CODE: 'focus', HANDLER: 'https://x/', NAME: 'Фокус' })).body.error).toBe('WRONG_AUTH_TYPE');
      expect(emulator.placements()).toEqual([]);
    });
  });

  describe('lists and batch', () => {
    beforeAll(async () => {
      await start();
      for (let i = 1; i <= 120; i++) emulator.addCompany({ TITLE: `Компания ${String(i).padStart(3, '0')}` });
    });

    it('pages by 50 with next and total; order and operator filters', async () => {
      const first = await call('crm.company.list', { select: ['ID'] });
      expect(first.body.result).toHaveLength(50);
      expect(first.body.result[0]).toEqual({ ID: '1' });
      expect([first.body.next, first.body.total]).toEqual([50, 120]);
      const second = await call('crm.company.list', { select: ['ID'], start: 50 });
      expect([second.body.result[0], second.body.next]).toEqual([{ ID: '51' }, 100]);
      const last = await call('crm.company.list', 'select[]=ID&start=100');
      expect(last.body.result).toHaveLength(20);
      expect(last.body.next).toBeUndefined();
      expect(last.body.total).toBe(120);
      const filtered = await call('crm.company.list', { filter: { '>ID': 115, '!ID': 118 }, order: { ID: 'DESC' }, select: ['ID'] });
      expect(filtered.body.result).toEqual([{ ID: '120' }, { ID: '119' }, { ID: '117' }, { ID: '116' }]);
      const like = await call('crm.company.list', { filter: { '%TITLE': 'компания 01' }, select: ['ID'] });
      expect(like.body.total).toBe(10);
    });

    it('batch: $result references between commands, result_error per command, halt, at most 50 commands', async () => {
      const form = new URLSearchParams({
        halt: '0',
        'cmd[company]': 'crm.company.add?fields[TITLE]=' + encodeURIComponent('ООО Батч'),
        'cmd[requisite]':
          'crm.requisite.add?' +
          new URLSearchParams({
            'fields[ENTITY_TYPE_ID]': '4',
            'fields[ENTITY_ID]': '$result[company]',
            'fields[PRESET_ID]': '1',
            'fields[NAME]': 'Организация',
            'fields[RQ_INN]': '7707083893',
          }).toString(),
        'cmd[read]': 'crm.requisite.get?id=$result[requisite]',
        'cmd[missing]': 'crm.deal.get?id=999',
        'cmd[page]': 'crm.company.list?select[]=ID&filter[>ID]=100',
      });
      const answer = await call('batch', form.toString());
      expect(answer.status).toBe(200);
      const { result } = answer.body;
      expect(result.result.company).toBe(121);
      expect(result.result.requisite).toBe(1);
      expect(result.result.read).toMatchObject({ ID: '1', ENTITY_ID: '121', RQ_INN: '7707083893' });
      expect(result.result.missing).toBeUndefined();
      expect(result.result.page).toHaveLength(21);
      expect(result.result_error).toEqual({ missing: { error: 'NOT_FOUND', error_description: 'Not found' } });
      expect(result.result_total).toEqual({ page: 21 });
      expect(result.result_next).toEqual({});
      expect(Object.keys(result.result_time)).toEqual(['company', 'requisite', 'read', 'page']);
      expect(emulator.callsTo('crm.requisite.get').at(-1)).toMatchObject({ encoding: 'batch', params: { id: '1' } });

      const halted = await call('batch', { halt: 1, cmd: { a: 'crm.deal.get?id=999', b: 'crm.company.get?id=1' } });
      expect(halted.body.result.result).toEqual({});
      expect(Object.keys(halted.body.result.result_error)).toEqual(['a']);
      const nested = await call('batch', { cmd: { a: 'batch?cmd[x]=profile' } });
      expect(nested.body.result.result_error.a.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
      const cmd = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, 'profile']));
      expect(await call('batch', { cmd })).toEqual({
        status: 400,
        body: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      });
    });

    it('injected faults answer their status once per count, top level or inside a batch', async () => {
      emulator.injectFault({
        method: 'crm.company.get',
        status: 500,
        error: 'INTERNAL_SERVER_ERROR',
        error_description: 'Internal server error',
        count: 2,
      });
      expect(await call('crm.company.get', { id: 1 })).toEqual({
        status: 500,
        body: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' },
      });
      const batch = await call('batch', { cmd: { a: 'crm.company.get?id=1', b: 'crm.company.get?id=2' } });
      expect(batch.body.result.result_error).toEqual({ a: { error: 'INTERNAL_SERVER_ERROR', error_description: 'Internal server error' } });
      expect(batch.body.result.result.b.ID).toBe('2');
      expect((await call('crm.company.get', { id: 1 })).status).toBe(200);
      emulator.injectFault({ status: 401, error: 'OVERLOAD_LIMIT', count: 1 });
      expect(await call('profile')).toEqual({ status: 401, body: { error: 'OVERLOAD_LIMIT', error_description: 'OVERLOAD_LIMIT' } });
      expect((await call('profile')).status).toBe(200);
    });
  });

  describe('limits', () => {
    beforeEach(() => start({ rateLimit: { perSecond: 2, bucket: 50 } }));

    it('the leaky bucket: 60 calls at once → 50 pass, 10 get 503; it drains at 2/s; a batch is one request', async () => {
      const answers = [];
      for (let i = 0; i < 60; i++) answers.push(await call('profile'));
      expect(answers.filter((a) => a.status === 200)).toHaveLength(50);
      expect(answers.slice(50)).toEqual(
        Array.from({ length: 10 }, () => ({
          status: 503,
          body: { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' },
        })),
      );
      expect(emulator.callsTo('profile').filter((c) => c.status === 503)).toHaveLength(10);
      now += 1000;
      expect([(await call('profile')).status, (await call('profile')).status, (await call('profile')).status]).toEqual([200, 200, 503]);
      now += 500;
      const batch = await call('batch', { cmd: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, 'profile'])) });
      expect(batch.status).toBe(200);
      expect(Object.keys(batch.body.result.result)).toHaveLength(50);
      expect((await call('profile')).status).toBe(503);
    });

    it('Enterprise: 5/s, bucket 250', async () => {
      emulator.setRateLimit({ perSecond: 5, bucket: 250 });
      let passed = 0;
      for (let i = 0; i < 255; i++) if ((await call('profile')).status === 200) passed += 1;
      expect(passed).toBe(250);
      now += 1000;
      for (let i = 0; i < 6; i++) if ((await call('profile')).status === 200) passed += 1;
      expect(passed).toBe(255);
    });

    it('the per-method time budget: past 480 s in 10 min the method is 429 OPERATION_TIME_LIMIT until the window passes', async () => {
      emulator.addOperatingTime('crm.deal.list', 481);
      now += 1000;
      expect(await call('crm.deal.list')).toEqual({
        status: 429,
        body: { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' },
      });
      const other = await call('crm.company.list');
      expect(other.status).toBe(200);
      now = T0 + 600_000;
      const after = await call('crm.deal.list');
      expect(after.status).toBe(200);
      expect(after.body.time.operating).toBe(0);
      expect(after.body.time.operating_reset_at).toBe((T0 + 1_200_000) / 1000);
    });
  });

  describe('outgoing events', () => {
    let handler: Awaited<ReturnType<typeof startHandler>>;
    beforeAll(async () => {
      handler = await startHandler();
    });
    afterAll(() => handler.close());
    beforeEach(async () => {
      await start({
        handler: handler.url,
        domain: 'portal.bitrix24.ru',
        memberId: 'd897063e1ce7c5eb9f04b9751eef5915',
        applicationToken: 'jvh9y1ulvt2m6k5or90v9mg8nn32ozas',
      });
      handler.received.length = 0;
    });
    afterEach(() => emulator.settled());

    const expectedForm = (event: string, handlerId: number, id: number) => ({
      event,
      event_handler_id: String(handlerId),
      data: { FIELDS: { ID: String(id) } },
      ts: String(T0 / 1000),
      auth: {
        domain: 'portal.bitrix24.ru',
        client_endpoint: 'https://portal.bitrix24.ru/rest/',
        server_endpoint: 'https://oauth.bitrix24.tech/rest/',
        member_id: 'd897063e1ce7c5eb9f04b9751eef5915',
        application_token: 'jvh9y1ulvt2m6k5or90v9mg8nn32ozas',
      },
    });

    it("a manager's requisite update fires a form-encoded ONCRMREQUISITEUPDATE with exactly the reference's fields", async () => {
      const company = emulator.addCompany({ TITLE: 'Газпром' });
      const requisite = emulator.addRequisite({ ENTITY_TYPE_ID: 4, ENTITY_ID: company, PRESET_ID: 1, NAME: 'Организация' });
      emulator.updateRequisite(requisite, { RQ_INN: '7736050003' });
      await emulator.settled();
      expect(handler.received.map((r) => r.contentType)).toEqual(Array(3).fill('application/x-www-form-urlencoded'));
      // ONCRMCOMPANYADD, ONCRMREQUISITEADD, ONCRMREQUISITEUPDATE: handler ids in event order of the setup.
      expect(handler.received.map((r) => parseForm(r.body))).toEqual([
        expectedForm('ONCRMCOMPANYADD', 1, 1),
        expectedForm('ONCRMREQUISITEADD', 3, 1),
        expectedForm('ONCRMREQUISITEUPDATE', 4, 1),
      ]);
      expect(handler.received[2]!.body).toBe(
        'event=ONCRMREQUISITEUPDATE&event_handler_id=4&data%5BFIELDS%5D%5BID%5D=1&ts=1743498000' +
          '&auth%5Bdomain%5D=portal.bitrix24.ru&auth%5Bclient_endpoint%5D=https%3A%2F%2Fportal.bitrix24.ru%2Frest%2F' +
          '&auth%5Bserver_endpoint%5D=https%3A%2F%2Foauth.bitrix24.tech%2Frest%2F&auth%5Bmember_id%5D=d897063e1ce7c5eb9f04b9751eef5915' +
          '&auth%5Bapplication_token%5D=jvh9y1ulvt2m6k5or90v9mg8nn32ozas',
      );
      expect(emulator.deliveries.map((d) => [d.event, d.id, d.status])).toEqual([
        ['ONCRMCOMPANYADD', '1', 200],
        ['ONCRMREQUISITEADD', '1', 200],
        ['ONCRMREQUISITEUPDATE', '1', 200],
      ]);
      expect(emulator.requisite(requisite)).toMatchObject({ RQ_INN: '7736050003', MODIFY_BY_ID: '7' });
    });

    it('our own REST writes echo back (requisite, company, deal), a batch included; moving a deal fires ONCRMDEALUPDATE', async () => {
      const company = emulator.addCompany({ TITLE: 'РЖД' });
      const requisite = emulator.addRequisite({
        ENTITY_TYPE_ID: 4,
        ENTITY_ID: company,
        PRESET_ID: 1,
        NAME: 'Организация',
        RQ_INN: '7708503727',
      });
      const deal = emulator.addDeal({ TITLE: 'Перевозка', COMPANY_ID: company });
      await emulator.settled();
      handler.received.length = 0;
      emulator.resetDeliveries();
      await call('crm.requisite.update', { id: requisite, fields: { RQ_KPP: '770801001' } });
      await call('batch', {
        cmd: {
          c: `crm.company.update?id=${company}&fields[UF_CRM_FOCUS_STATUS]=ACTIVE`,
          d: `crm.deal.update?id=${deal}&fields[UF_CRM_FOCUS_RISK]=LOW`,
        },
      });
      emulator.moveDeal(deal, 'CONTRACT');
      await emulator.settled();
      expect(handler.received.map((r) => parseForm(r.body))).toEqual([
        expectedForm('ONCRMREQUISITEUPDATE', 4, requisite),
        expectedForm('ONCRMCOMPANYUPDATE', 2, company),
        expectedForm('ONCRMDEALUPDATE', 6, deal),
        expectedForm('ONCRMDEALUPDATE', 6, deal),
      ]);
      expect(emulator.deal(deal)).toMatchObject({ STAGE_ID: 'CONTRACT', UF_CRM_FOCUS_RISK: 'LOW', MODIFY_BY_ID: '7' });
    });

    it('no handler, no delivery; a dead handler is recorded once and never retried', async () => {
      emulator.setEventHandlers(null);
      emulator.addCompany({ TITLE: 'Без обработчика' });
      emulator.setEventHandler('ONCRMCOMPANYUPDATE', 'http://127.0.0.1:1/events');
      emulator.updateCompany(1, { TITLE: 'Новое имя' });
      await emulator.settled();
      expect(emulator.deliveries.map((d) => [d.event, d.url, d.status, d.failure])).toEqual([
        ['ONCRMCOMPANYUPDATE', 'http://127.0.0.1:1/events', undefined, 'network'],
      ]);
      expect(handler.received).toEqual([]);
    });
  });

  it('the app OAuth form /rest/<method>?auth=<token> gives the app context (placements, robots, bizproc.event.send)', async () => {
    await start({ appAccessToken: 'app-token-1' });
    const bind = await send(`${emulator.origin}/rest/placement.bind.json`, {
      auth: 'app-token-1',
      PLACEMENT: 'CRM_COMPANY_DETAIL_TOOLBAR',
      HANDLER: 'https://adapter/focus-button',
      TITLE: 'Обновить данные из Фокуса',
    });
    expect(bind).toMatchObject({ status: 200, body: { result: true } });
    expect(emulator.placements()).toEqual([
      { PLACEMENT: 'CRM_COMPANY_DETAIL_TOOLBAR', HANDLER: 'https://adapter/focus-button', TITLE: 'Обновить данные из Фокуса' },
    ]);
    const sent = await send(`${emulator.origin}/rest/bizproc.event.send?auth=app-token-1`, {
      event_token: 'tok|1',
      return_values: { riskLevel: 'high' },
    });
    expect(sent.body.result).toBe(true);
    expect(emulator.bizprocEvents()).toEqual([{ event_token: 'tok|1', return_values: { riskLevel: 'high' } }]);
    expect((await send(`${emulator.origin}/rest/profile?auth=stale`)).body.error).toBe('INVALID_CREDENTIALS');
  });
});
