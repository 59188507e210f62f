import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TbankEchoPlace, TbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { ExcerptResponseSchema } from '../../src/modules/tbank/vendor/schemas.ts';
import { unknownInn } from '../support/inns.ts';
import { TEST_TBANK_TOKEN, startTestTbankEmulator } from '../support/tbank.ts';

describe('the T-Bank emulator answers like the vendor reference', () => {
  let emulator: TbankEmulator;
  const get = (path: string, headers: Record<string, string> = { authorization: `Bearer ${TEST_TBANK_TOKEN}` }) =>
    fetch(`${emulator.url}/api/v1/counterparty/${path}`, { headers }).then(async (response) => ({
      status: response.status,
      requestId: response.headers.get('x-request-id'),
      body: (await response.json()) as any,
    }));

  beforeAll(async () => {
    emulator = await startTestTbankEmulator({ rateLimit: null });
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('needs the bearer token: 401 UNAUTHORIZED with the documented body, on every status an X-Request-Id', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TEST_TBANK_TOKEN }] as Array<Record<string, string>>) {
      const answer = await get('excerpt/by-inn?inn=7700000009', headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        errorId: expect.stringMatching(/^[0-9a-f]{16}$/),
        errorCode: 'UNAUTHORIZED',
        errorMessage: 'Токен недействителен',
      });
      expect(answer.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    const echoed = await get('excerpt/by-inn?inn=7700000009', { authorization: `Bearer ${TEST_TBANK_TOKEN}`, 'x-request-id': 'trace-42' });
    expect(echoed.requestId).toBe('trace-42');
    expect(emulator.calls.at(-1)).toMatchObject({
      method: 'excerpt/by-inn',
      ids: ['7700000009'],
      status: 200,
      authorized: true,
      requestId: 'trace-42',
    });
    expect(JSON.stringify(emulator.calls)).not.toContain(TEST_TBANK_TOKEN);
  });

  it('400 INVALID for malformed or checksum-invalid identifiers and a bad limit/offset; 422 NO_DATA when unknown', async () => {
    expect(await get('excerpt/by-inn?inn=770000000')).toMatchObject({
      status: 400,
      body: { errorCode: 'INVALID', errorMessage: 'Некорректный ИНН: 770000000' },
    });
    expect((await get('excerpt/by-inn?inn=7700000008')).body.errorCode).toBe('INVALID');
    expect(await get('excerpt?ogrn=1117746000009')).toMatchObject({
      status: 400,
      body: { errorCode: 'INVALID', errorMessage: 'Некорректный ОГРН: 1117746000009' },
    });
    expect((await get('excerpt?ogrn=11177460000')).body.errorCode).toBe('INVALID');
    for (const paging of ['', '&limit=0&offset=0', '&limit=101&offset=0', '&limit=10', '&limit=10&offset=-1', '&limit=x&offset=0']) {
      expect((await get(`contracts?ogrn=1117746000008${paging}`)).status, paging).toBe(400);
    }
    const unknown = unknownInn(5);
    expect(await get(`excerpt/by-inn?inn=${unknown}`)).toMatchObject({
      status: 422,
      body: { errorCode: 'NO_DATA', errorMessage: `Данные не найдены: ИНН ${unknown}` },
    });
  });

  it('serves excerpts with "+03:00" SPARK dates and money strings, by INN and by OGRN, and the contracts by limit/offset', async () => {
    const byInn = await get('excerpt/by-inn?inn=7700000376');
    expect(byInn.status).toBe(200);
    expect(byInn.body.companyType).toBe('company');
    expect(byInn.body.companyExcerpt.status.date).toMatch(/^\d{4}-\d{2}-\d{2}\+03:00$/);
    expect(byInn.body.companyExcerpt.expressExcerpt.bankruptcyMessage.date).toMatch(/^\d{4}-\d{2}-\d{2}Z$/);
    expect(typeof byInn.body.companyExcerpt.arbitrationCases.cases[0].defendant.sum).toBe('string');
    expect(ExcerptResponseSchema.safeParse(byInn.body).success).toBe(true);

    const ogrn = byInn.body.companyCard.requisites.ogrn as string;
    const byOgrn = await get(`excerpt?ogrn=${ogrn}`);
    expect(byOgrn.body).toEqual(byInn.body);

    const entrepreneur = await get('excerpt/by-inn?inn=366512608416');
    expect(entrepreneur.body.companyType).toBe('entrepreneur');
    expect(entrepreneur.body.entrepreneurExcerpt.ogrnip).toMatch(/^\d{15}$/);

    const company = await get('excerpt/by-inn?inn=7725000000');
    const page = await get(`contracts?ogrn=${company.body.companyCard.requisites.ogrn}&limit=100&offset=200`);
    expect(page.status).toBe(200);
    expect(page.body.data.total).toBe(250);
    expect(page.body.data.items).toHaveLength(50);
    for (const item of page.body.data.items) expect(item.contractId).toMatch(/^\d{19}$/);
    expect(emulator.calls.at(-1)).toMatchObject({ method: 'contracts', limit: '100', offset: '200', status: 200 });
  });

  it('trafficLightColors are the counts of its own checkResult and innerCheckResult colours, for every kind of company', async () => {
    const inns = ['7700000009', '7700000376', '7700000016', '7700000129', '6600000074', '366512608416', '7740000083', '7742003072'];
    const reds = [];
    for (const inn of inns) {
      const { body } = await get(`excerpt/by-inn?inn=${inn}`);
      const { checkResult, innerCheckResult, trafficLightColors } = body.excerpt;
      const colours = [...Object.values(checkResult), ...Object.values(innerCheckResult)].map((check: any) => check.color as string);
      const count = (colour: string) => colours.filter((c) => c === colour).length;
      expect(trafficLightColors, inn).toEqual({ redCount: count('red'), yellowCount: count('yellow'), greenCount: count('green') });
      // The checks the spec requires for T-Bank's tax debt and risk level are there, each with a colour.
      expect(innerCheckResult.taxDebt.color, inn).toMatch(/^(red|yellow|green)$/);
      expect(checkResult.riskLevel, inn).toEqual({ value: expect.any(Number), color: expect.stringMatching(/^(red|yellow|green)$/) });
      expect(ExcerptResponseSchema.safeParse(body).success, inn).toBe(true);
      reds.push(trafficLightColors.redCount);
    }
    // Not a constant: the counts follow the company.
    expect(new Set(reds).size).toBeGreaterThan(1);
  });

  it('enforces its own rate limit per token (sliding window) with 429 TOO_MANY_REQUESTS; refused and unauthorised calls do not count', async () => {
    emulator.setRateLimit({ calls: 3, windowMs: 400 });
    try {
      await get('excerpt/by-inn?inn=7700000009', {});
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await get('excerpt/by-inn?inn=7700000009')).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await get('excerpt/by-inn?inn=7700000009')).body).toMatchObject({
        errorCode: 'TOO_MANY_REQUESTS',
        errorMessage: 'Слишком много запросов. Попробуйте позже',
      });
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect((await get('excerpt/by-inn?inn=7700000009')).status).toBe(200);
    } finally {
      emulator.setRateLimit(null);
    }
  });

  it('misbehaves on demand: error statuses with a T-Bank body, truncated JSON, a reset connection', async () => {
    emulator.injectFault({ fault: { kind: 'status', status: 500 }, times: 1, methods: ['excerpt/by-inn'] });
    expect(await get('excerpt/by-inn?inn=7700000009')).toMatchObject({
      status: 500,
      body: { errorCode: 'INTERNAL_ERROR', errorMessage: 'Непредвиденная ошибка. Попробуйте позже' },
    });
    emulator.injectFault({ fault: { kind: 'malformedJson' }, times: 1 });
    const truncated = await fetch(`${emulator.url}/api/v1/counterparty/excerpt/by-inn?inn=7700000009`, {
      headers: { authorization: `Bearer ${TEST_TBANK_TOKEN}` },
    });
    await expect(truncated.json()).rejects.toThrow();
    emulator.injectFault({ fault: { kind: 'reset' }, times: 1 });
    await expect(get('excerpt/by-inn?inn=7700000009')).rejects.toThrow();
    expect((await get('excerpt/by-inn?inn=7700000009')).status).toBe(200);
    const log = (await (await fetch(`${emulator.url.replace('/openapi', '')}/__emulator/calls`)).json()) as unknown[];
    expect(log.length).toBe(emulator.calls.length);
  });

  it('echoes the caller’s token on demand: at character 190 of errorMessage, as errorCode or errorId, in X-Request-Id or Content-Type', async () => {
    const echo = async (into: TbankEchoPlace, status?: number) => {
      emulator.injectFault({ fault: { kind: 'echoToken', into, ...(status !== undefined ? { status } : {}) }, times: 1 });
      const response = await fetch(`${emulator.url}/api/v1/counterparty/excerpt/by-inn?inn=7700000009`, {
        headers: { authorization: `Bearer ${TEST_TBANK_TOKEN}`, 'x-request-id': 'trace-1' },
      });
      return {
        status: response.status,
        requestId: response.headers.get('x-request-id'),
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as any,
      };
    };
    const message = await echo('errorMessage');
    expect(message.status).toBe(400);
    expect(message.body.errorCode).toBe('INVALID');
    expect(message.body.errorMessage.indexOf(TEST_TBANK_TOKEN)).toBe(190);
    expect(message.body.errorMessage.slice(0, 200)).toBe(
      `${'Недействительные данные авторизации, получено: '.padEnd(190, '.')}${TEST_TBANK_TOKEN.slice(0, 10)}`,
    );
    expect((await echo('errorCode', 403)).body).toEqual({
      errorId: expect.stringMatching(/^[0-9a-f]{16}$/),
      errorCode: TEST_TBANK_TOKEN,
      errorMessage: 'Ошибка',
    });
    expect((await echo('errorId', 500)).body).toEqual({ errorId: TEST_TBANK_TOKEN, errorCode: 'INTERNAL_ERROR', errorMessage: 'Ошибка' });
    expect(await echo('requestId', 200)).toMatchObject({ status: 200, requestId: TEST_TBANK_TOKEN, body: { companyType: 'company' } });
    expect(await echo('contentType', 200)).toMatchObject({
      status: 200,
      contentType: `text/${TEST_TBANK_TOKEN}`,
      requestId: 'trace-1',
      body: { companyType: 'company' },
    });
    // Its own call log still never holds the token.
    expect(emulator.calls.at(-4)).toMatchObject({ status: 403, errorCode: 'ECHOED_TOKEN' });
    expect(JSON.stringify(emulator.calls)).not.toContain(TEST_TBANK_TOKEN);
  });

  it('answers about another company on demand (wrongCompany), or with any JSON body', async () => {
    const own = await get('excerpt/by-inn?inn=7700000376');
    const other = await get('excerpt/by-inn?inn=7700000009');
    emulator.injectFault({ fault: { kind: 'wrongCompany' }, times: 2 });
    expect(await get('excerpt/by-inn?inn=7700000376')).toMatchObject({ status: 200, body: other.body });
    expect((await get(`excerpt?ogrn=${other.body.companyCard.requisites.ogrn}`)).body.companyCard.requisites.inn).toBe('7700000016');
    emulator.injectFault({ fault: { kind: 'wrongCompany', inn: '7700000129' }, times: 1, methods: ['contracts'] });
    const page = await get(`contracts?ogrn=${own.body.companyCard.requisites.ogrn}&limit=100&offset=0`);
    expect(page.body.companyCard.requisites.inn).toBe('7700000129');
    emulator.injectFault({ fault: { kind: 'body', body: {} }, times: 1 });
    expect(await get('excerpt/by-inn?inn=7700000376')).toMatchObject({ status: 200, body: {} });
    expect(await get('excerpt/by-inn?inn=7700000376')).toEqual({ status: 200, requestId: expect.any(String), body: own.body });
  });
});
