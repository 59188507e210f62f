import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/common/relay.ts';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { EXAMPLE_CONTRACTS, exampleExcerptFor } from '../support/tbank-examples.ts';
import type { TbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { syntheticContract } from '../../src/modules/tbank/emulator/synthetic.ts';
import { legalEntityInns } from '../support/inns.ts';
import { metricsText, sample } from '../support/metrics.ts';
import { startEmulator, withSubgraph } from '../support/subgraph.ts';
import { TEST_TBANK_TOKEN, startTbankSubgraph, startTestTbankEmulator, type TbankSubgraph } from '../support/tbank.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const CHECK_FIELDS = `
  companyType ogrn inn kpp shortName fullName status statusText statusDate registrationDate terminationDate legalAddress
  negativeLists { id name isNegative since }
  sameInfo { address sameAddressCount manager sameManagerCount managerInnCount phone samePhoneCount }
  frozenAccounts { count latestDate banks { name bik } decisions { number date taxAuthority reason bank { name bik } } }
  enforcementProceedings { active executed }
  arbitration { total considered appealed completed decisionsAndRulings years { year asPlaintiffCases asPlaintiffSum asDefendantCases asDefendantSum asThirdPartyCases } }
  bankruptcyMessage { type date decisionDate caseNumber }
  mainActivity { code name }
  netIncome { amount year periodStart periodEnd }
  leaders { name position since }
  contractSummary { count admittedCount notAdmittedCount totalValue }
  trafficLight { red yellow green checks { check color } }
  fetchedAt`;

describe('Company.tbankCheck and Company.stateContracts against the T-Bank emulator', () => {
  let focus: FocusEmulator;
  let tbank: TbankEmulator;
  let subgraph: TbankSubgraph;

  beforeAll(async () => {
    focus = await startEmulator();
    tbank = await startTestTbankEmulator({ rateLimit: { calls: 1000, windowMs: 60_000 } });
    subgraph = await startTbankSubgraph({ tbank, focus, env: { TBANK_RATE_LIMIT: '1000/min' } });
  });
  afterAll(async () => {
    await subgraph?.close();
    await tbank?.close();
    await focus?.close();
  });

  const check = (inn: string) => subgraph.gql(`{ company(inn: "${inn}") { shortName status { code } tbankCheck { ${CHECK_FIELDS} } } }`);

  it('reads the vendor’s own example exactly: zoned dates as dates, money strings digit for digit', async () => {
    const [inn] = legalEntityInns(1, 91);
    // The example with the INN asked in place of its placeholder: an excerpt naming another INN is refused.
    tbank.setExcerpt(inn!, exampleExcerptFor(inn!));
    const result = await check(inn!);
    expect(result.errors).toBeUndefined();
    const { fetchedAt, ...tbankCheck } = result.data.company.tbankCheck;
    expect(Date.parse(fetchedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(tbankCheck).toEqual({
      companyType: 'COMPANY',
      ogrn: '1000000000000',
      inn,
      kpp: '000000000',
      shortName: 'ПАО "НАЗВАНИЕ"',
      fullName: 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "НАЗВАНИЕ"',
      status: 'ACTIVE',
      statusText: 'Действующая организация',
      statusDate: '2023-04-24',
      registrationDate: '1996-06-21',
      terminationDate: null,
      legalAddress: '119019, г Москва, ул Арбат',
      negativeLists: [],
      sameInfo: {
        address: 'г. Москва, ул. Арбат',
        sameAddressCount: 51,
        manager: 'Фамилия Имя Отчество',
        sameManagerCount: 1,
        managerInnCount: 0,
        phone: '(342) 0000000',
        samePhoneCount: 1,
      },
      frozenAccounts: { count: 0, latestDate: null, banks: [], decisions: [] },
      enforcementProceedings: { active: 65, executed: 1326 },
      arbitration: {
        total: 703,
        considered: 35,
        appealed: 4,
        completed: 651,
        decisionsAndRulings: 13,
        years: [
          { year: 2006, asPlaintiffCases: 2, asPlaintiffSum: '17369466', asDefendantCases: 0, asDefendantSum: '0', asThirdPartyCases: 0 },
          { year: 2005, asPlaintiffCases: 2, asPlaintiffSum: '0', asDefendantCases: 0, asDefendantSum: '0', asThirdPartyCases: 0 },
          { year: 2004, asPlaintiffCases: 2, asPlaintiffSum: '0', asDefendantCases: 0, asDefendantSum: '0', asThirdPartyCases: 0 },
        ],
      },
      bankruptcyMessage: { type: 'Тип сообщения', date: '2021-10-26', decisionDate: '2021-10-19', caseNumber: 'А56-13391/2020' },
      mainActivity: { code: '51.10.1', name: 'Перевозка' },
      netIncome: { amount: '-96527133000', year: 2020, periodStart: '2020-01-01', periodEnd: '2020-12-31' },
      leaders: [{ name: 'Фамилия Имя Отчество', position: 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР', since: '2022-01-01' }],
      contractSummary: { count: 164, admittedCount: 40, notAdmittedCount: 94, totalValue: 32823479357.625 },
      trafficLight: {
        red: 1,
        yellow: 5,
        green: 14,
        checks: expect.arrayContaining([
          { check: 'status', color: 'NONE' },
          { check: 'activeProceedings', color: 'RED' },
          { check: 'sameAddressNumber', color: 'YELLOW' },
          { check: 'isNegative', color: 'GREEN' },
        ]),
      },
    });
    expect(tbankCheck.trafficLight.checks).toHaveLength(27);
  });

  it('describes the same company as Kontur.Focus, with T-Bank’s status mapped to CompanyStatusCode', async () => {
    const cases: Array<[string, string]> = [
      ['7700000009', 'ACTIVE'],
      ['7700000376', 'BANKRUPT'],
      ['7700000016', 'LIQUIDATING'],
      ['7700000129', 'REORGANIZING'],
      ['6600000074', 'LIQUIDATED'],
      ['6663003127', 'ACTIVE'],
      ['4401006984', 'LIQUIDATED'],
    ];
    for (const [inn, code] of cases) {
      const result = await subgraph.gql(
        `{ company(inn: "${inn}") { shortName kpp status { code } tbankCheck { shortName kpp status inn } } }`,
      );
      expect(result.errors, inn).toBeUndefined();
      const { company } = result.data;
      expect(company.status.code, inn).toBe(code);
      expect(company.tbankCheck, inn).toEqual({ shortName: company.shortName, kpp: company.kpp, status: code, inn });
    }
  });

  it('a bankrupt company: its negative list, frozen accounts with their banks, and the bankruptcy notice', async () => {
    const result = await check('7700000376');
    expect(result.errors).toBeUndefined();
    const tbankCheck = result.data.company.tbankCheck;
    expect(tbankCheck.status).toBe('BANKRUPT');
    expect(tbankCheck.negativeLists).toEqual([
      { id: 16, name: 'Задолженность по налогам свыше 1000 рублей', isNegative: true, since: null },
    ]);
    expect(tbankCheck.frozenAccounts.count).toBe(2);
    expect(tbankCheck.frozenAccounts.decisions).toHaveLength(2);
    expect(tbankCheck.frozenAccounts.banks.length).toBeGreaterThan(0);
    for (const bank of tbankCheck.frozenAccounts.banks) expect(bank.bik).toMatch(/^\d{9}$/);
    expect(tbankCheck.frozenAccounts.latestDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(tbankCheck.frozenAccounts.latestDate).toBe(
      [...tbankCheck.frozenAccounts.decisions.map((d: { date: string }) => d.date)].sort().at(-1),
    );
    expect(tbankCheck.bankruptcyMessage.type).toBe('Сообщение о судебном акте');
    expect(tbankCheck.bankruptcyMessage.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(tbankCheck.bankruptcyMessage.caseNumber).toMatch(/^А\d{2}-\d+\/\d{4}$/);
    expect(tbankCheck.trafficLight.checks).toContainEqual({ check: 'bankruptcyMessage', color: 'RED' });
  });

  it('pages state contracts by 100: only the pages a window reaches into, each fetched once; ids stay 19-digit strings', async () => {
    const inn = '7725000000';
    const contracts = () => tbank.callsTo('contracts').filter((call) => call.ids[0] !== undefined && call.status === 200);
    const query = `query ($first: Int, $after: String) { company(inn: "${inn}") { ogrn stateContracts(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { contractId counterpartyOgrn role stage purchaseObjectType price } } } } }`;
    const before = contracts().length;

    const first = await subgraph.gql(query, { first: 30 });
    expect(first.errors).toBeUndefined();
    const connection = first.data.company.stateContracts;
    expect(connection.totalCount).toBe(250);
    expect(connection.edges).toHaveLength(30);
    expect(connection.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    connection.edges.forEach((edge: any, index: number) => {
      const raw = syntheticContract(inn, index) as { contractId: string; price: number };
      expect(edge.node.contractId).toBe(raw.contractId);
      expect(edge.node.contractId).toMatch(/^\d{19}$/);
      expect(edge.node.price).toBe(raw.price);
    });
    expect(
      contracts()
        .slice(before)
        .map((call) => [call.ids[0], call.limit, call.offset]),
    ).toEqual([[first.data.company.ogrn, '100', '0']]);

    // Items 90…109 span pages 0 (cached) and 100 (one more call).
    const middle = await subgraph.gql(query, { first: 20, after: encodeCursor('stateContracts', 89) });
    expect(middle.data.company.stateContracts.edges.map((edge: any) => edge.node.contractId)).toEqual(
      Array.from({ length: 20 }, (_, i) => (syntheticContract(inn, 90 + i) as { contractId: string }).contractId),
    );
    expect(
      contracts()
        .slice(before)
        .map((call) => call.offset),
    ).toEqual(['0', '100']);

    const again = await subgraph.gql(query, { first: 20, after: encodeCursor('stateContracts', 89) });
    expect(again.data).toEqual(middle.data);
    expect(contracts().length - before).toBe(2);

    const last = await subgraph.gql(query, { first: 100, after: encodeCursor('stateContracts', 239) });
    expect(last.data.company.stateContracts.edges).toHaveLength(10);
    expect(last.data.company.stateContracts.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(
      contracts()
        .slice(before)
        .map((call) => call.offset),
    ).toEqual(['0', '100', '200']);

    const tooMany = await subgraph.gql(query, { first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('maps the vendor’s example contracts: stage labels, roles, prices, the total', async () => {
    // Distinct INN serials: synthetic OGRNs repeat the INN's digits 5–9, so companies of other tests keep other OGRNs.
    const inn = legalEntityInns(2, 93)[1]!;
    const { data } = await subgraph.gql(`{ company(inn: "${inn}") { ogrn } }`);
    tbank.setContracts(data.company.ogrn, EXAMPLE_CONTRACTS.data.items, 164);
    const result = await subgraph.gql(`{ company(inn: "${inn}") { stateContracts(first: 3) { totalCount pageInfo { hasNextPage }
      edges { node { contractId counterpartyOgrn role stage purchaseObjectType price } } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.company.stateContracts).toEqual({
      totalCount: 164,
      pageInfo: { hasNextPage: true },
      edges: [
        {
          node: {
            contractId: '0173200000000000071',
            counterpartyOgrn: '1000000000000',
            role: 'SUPPLIER',
            stage: 'COMPLETED',
            purchaseObjectType: 'Услуги',
            price: 612000,
          },
        },
        {
          node: {
            contractId: '1490000000000000006',
            counterpartyOgrn: '1000000000000',
            role: 'SUPPLIER',
            stage: 'EXECUTION',
            purchaseObjectType: 'Услуги',
            price: 664976,
          },
        },
        {
          node: {
            contractId: '1870000000000000002',
            counterpartyOgrn: '1000000000000',
            role: 'SUPPLIER',
            stage: 'EXECUTION',
            purchaseObjectType: 'Услуги',
            price: 6000000,
          },
        },
      ],
    });
    const other = legalEntityInns(3, 94)[2]!;
    const { data: otherData } = await subgraph.gql(`{ company(inn: "${other}") { ogrn } }`);
    tbank.setContracts(otherData.company.ogrn, [
      { contractId: '1000000000000000001', counterpartyOgrn: '1027700070518', stageCode: 'canceled', role: 'customer', price: null },
      { contractId: '1000000000000000002', counterpartyOgrn: '1027700070518', stageCode: 'stopped', role: 'supplier' },
    ]);
    const stages = await subgraph.gql(`{ company(inn: "${other}") { stateContracts { totalCount edges { node { stage role price } } } } }`);
    expect(stages.data.company.stateContracts).toEqual({
      totalCount: 2,
      edges: [
        { node: { stage: 'TERMINATED', role: 'CUSTOMER', price: null } },
        { node: { stage: 'INVALIDATED', role: 'SUPPLIER', price: null } },
      ],
    });
  });

  it('422 NO_DATA: tbankCheck is null (no error), the "no data" is cached, and contracts of an unknown OGRN are empty', async () => {
    const inn = legalEntityInns(4, 95)[3]!;
    tbank.setExcerpt(inn, null);
    const before = tbank.calls.length;
    const result = await subgraph.gql(`{ company(inn: "${inn}") { shortName tbankCheck { ogrn } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.company.shortName).toBeTruthy();
    expect(result.data.company.tbankCheck).toBeNull();
    expect(tbank.calls.slice(before).map((call) => [call.method, call.status, call.errorCode])).toEqual([
      ['excerpt/by-inn', 422, 'NO_DATA'],
    ]);
    const again = await subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { ogrn } } }`);
    expect(again.data.company.tbankCheck).toBeNull();
    expect(tbank.calls.length).toBe(before + 1);

    const { data } = await subgraph.gql(`{ company(inn: "${inn}") { ogrn } }`);
    tbank.setExcerpt(data.company.ogrn, null);
    const contracts = await subgraph.gql(
      `{ company(inn: "${inn}") { stateContracts { totalCount edges { cursor } pageInfo { hasNextPage } } } }`,
    );
    expect(contracts.errors).toBeUndefined();
    expect(contracts.data.company.stateContracts).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
    expect(tbank.calls.at(-1)).toMatchObject({ method: 'contracts', status: 422, errorCode: 'NO_DATA' });
  });

  it('coalesces concurrent lookups of one INN into one call, and sends a fresh UUID X-Request-Id per call', async () => {
    const [inn] = legalEntityInns(1, 96);
    const before = tbank.calls.length;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { ogrn status } } }`)),
    );
    for (const result of results) expect(result.data.company.tbankCheck.ogrn).toMatch(/^\d{13}$/);
    expect(tbank.calls.slice(before)).toHaveLength(1);
    const ids = tbank.calls.map((call) => call.requestId);
    for (const id of ids) expect(id).toMatch(UUID);
    expect(new Set(ids).size).toBe(ids.length);
    expect(tbank.calls.every((call) => call.authorized)).toBe(true);
  });

  it('maps vendor errors: 5xx retried then VENDOR_UNAVAILABLE, 401 VENDOR_AUTH_FAILED, 400 and bad JSON VENDOR_BAD_RESPONSE', async () => {
    const inns = legalEntityInns(5, 97);
    const callsFor = (inn: string) => tbank.calls.filter((call) => call.ids[0] === inn);
    const tbankError = async (inn: string) => {
      const result = await subgraph.gql(`{ company(inn: "${inn}") { shortName tbankCheck { ogrn } } }`);
      expect(result.data.company.shortName).toBeTruthy(); // only the T-Bank field fails
      expect(result.data.company.tbankCheck).toBeNull();
      expect(result.errors).toHaveLength(1);
      expect(result.errors![0]!.path).toEqual(['company', 'tbankCheck']);
      return result.errors![0]!;
    };

    tbank.injectFault({ fault: { kind: 'status', status: 500 }, times: 1, whenIdsInclude: [inns[0]!] });
    const recovered = await subgraph.gql(`{ company(inn: "${inns[0]}") { tbankCheck { ogrn } } }`);
    expect(recovered.errors).toBeUndefined();
    expect(callsFor(inns[0]!).map((call) => call.status)).toEqual([500, 200]);

    tbank.injectFault({ fault: { kind: 'status', status: 503 }, times: 10, whenIdsInclude: [inns[1]!] });
    const unavailable = await tbankError(inns[1]!);
    expect(unavailable.extensions).toMatchObject({
      code: 'VENDOR_UNAVAILABLE',
      vendor: 'tbank',
      method: 'excerpt/by-inn',
      status: 503,
      vendorCode: 'INTERNAL_ERROR',
    });
    expect(unavailable.extensions!.vendorRequestId).toMatch(UUID);
    expect(callsFor(inns[1]!).map((call) => call.status)).toEqual([503, 503, 503]);
    // The error names the call the vendor saw, so support can trace it.
    expect(callsFor(inns[1]!).map((call) => call.requestId)).toContain(unavailable.extensions!.vendorRequestId);

    tbank.injectFault({
      fault: { kind: 'status', status: 401, errorCode: 'UNAUTHORIZED', errorMessage: 'Токен недействителен' },
      times: 1,
      whenIdsInclude: [inns[2]!],
    });
    expect((await tbankError(inns[2]!)).extensions).toMatchObject({ code: 'VENDOR_AUTH_FAILED', status: 401, vendorCode: 'UNAUTHORIZED' });
    expect(callsFor(inns[2]!)).toHaveLength(1);

    tbank.injectFault({
      fault: { kind: 'status', status: 400, errorCode: 'INVALID', errorMessage: `Некорректный ИНН: ${inns[3]}` },
      times: 1,
      whenIdsInclude: [inns[3]!],
    });
    const invalid = await tbankError(inns[3]!);
    expect(invalid.extensions).toMatchObject({ code: 'VENDOR_BAD_RESPONSE', status: 400, vendorCode: 'INVALID' });
    expect(invalid.message).toBe('T-Bank excerpt/by-inn refused the request (HTTP 400 INVALID: Некорректный ИНН: #)');

    tbank.injectFault({ fault: { kind: 'malformedJson' }, times: 1, whenIdsInclude: [inns[4]!] });
    expect((await tbankError(inns[4]!)).extensions).toMatchObject({ code: 'VENDOR_BAD_RESPONSE', status: 200 });
    tbank.clearFaults();

    // Failures are not cached: the next lookup asks again.
    const retried = await subgraph.gql(`{ company(inn: "${inns[1]}") { tbankCheck { ogrn } } }`);
    expect(retried.errors).toBeUndefined();
    expect(retried.data.company.tbankCheck.ogrn).toMatch(/^\d{13}$/);
  });

  it('a rejected token is VENDOR_AUTH_FAILED, and the token is in no log line, error or metric', async () => {
    const wrongToken = 'wrong-token-Qp7Vx2Lm9Rt4';
    const other = await startTbankSubgraph({ tbank, focus, token: wrongToken, env: { TBANK_RATE_LIMIT: '100/min' } });
    try {
      const [inn] = legalEntityInns(1, 98);
      const result = await other.gql(`{ company(inn: "${inn}") { tbankCheck { ogrn } } }`);
      expect(result.errors![0]!.extensions).toMatchObject({
        code: 'VENDOR_AUTH_FAILED',
        vendor: 'tbank',
        status: 401,
        vendorCode: 'UNAUTHORIZED',
      });
      expect(result.errors![0]!.message).toMatch(/check TBANK_TOKEN/);
      expect(tbank.calls.at(-1)).toMatchObject({ authorized: false, status: 401 });
      const everything = [...other.logs, ...other.responses, await metricsText(other.url)].join('\n');
      expect(everything).not.toContain(wrongToken);
      expect(everything).toContain('T-Bank call failed');
    } finally {
      await other.close();
    }
    const everything = [...subgraph.logs, ...subgraph.responses, await metricsText(subgraph.url)].join('\n');
    expect(everything).not.toContain(TEST_TBANK_TOKEN);
    // Every call is logged with its request id.
    expect(subgraph.logs.filter((line) => line.includes('"msg":"T-Bank call"')).length).toBeGreaterThan(10);
  });
});

describe('the T-Bank rate limit: the vendor never answers 429 because of us', () => {
  let focus: FocusEmulator;
  let tbank: TbankEmulator;
  let subgraph: TbankSubgraph;

  beforeAll(async () => {
    focus = await startEmulator();
    // The emulator enforces T-Bank's documented limit itself: 10 calls per minute per token.
    tbank = await startTestTbankEmulator();
    subgraph = await startTbankSubgraph({ tbank, focus, env: { TBANK_RATE_LIMIT: '10/min', TBANK_MAX_WAIT: '200ms' } });
  });
  afterAll(async () => {
    await subgraph?.close();
    await tbank?.close();
    await focus?.close();
  });

  it('30 distinct companies at once: 10 reach T-Bank, 20 fail fast with VENDOR_RATE_LIMITED; repeating the 10 costs nothing', async () => {
    const inns = legalEntityInns(30, 99);
    const query = 'query ($inn: String!) { company(inn: $inn) { inn shortName tbankCheck { ogrn shortName } } }';
    const started = Date.now();
    const results = await Promise.all(inns.map((inn) => subgraph.gql(query, { inn })));
    const elapsed = Date.now() - started;

    expect(tbank.calls).toHaveLength(10);
    expect(tbank.calls.filter((call) => call.status === 429)).toHaveLength(0);
    expect(tbank.calls.every((call) => call.status === 200)).toBe(true);

    const answered = results.filter((result) => result.data.company.tbankCheck !== null);
    const refused = results.filter((result) => result.data.company.tbankCheck === null);
    expect(answered).toHaveLength(10);
    expect(refused).toHaveLength(20);
    for (const result of answered) expect(result.errors).toBeUndefined();
    for (const result of refused) {
      expect(result.data.company.shortName).toBeTruthy(); // Kontur.Focus still answered
      expect(result.errors).toHaveLength(1);
      const [error] = result.errors!;
      expect(error!.path).toEqual(['company', 'tbankCheck']);
      expect(error!.extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED', vendor: 'tbank', method: 'excerpt/by-inn' });
      expect(error!.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(55);
      expect(error!.extensions!.retryAfterSeconds).toBeLessThanOrEqual(62);
    }
    // Failing fast: nobody waited for the minute to pass.
    expect(elapsed).toBeLessThan(5_000);
    expect(new Set(tbank.calls.map((call) => call.ids[0]))).toEqual(new Set(answered.map((result) => result.data.company.inn)));

    const again = await Promise.all(answered.map((result) => subgraph.gql(query, { inn: result.data.company.inn })));
    for (const result of again) expect(result.data.company.tbankCheck.ogrn).toMatch(/^\d{13}$/);
    expect(tbank.calls).toHaveLength(10);

    const metrics = await metricsText(subgraph.url);
    expect(sample(metrics, 'vendor_calls_total{vendor="tbank",method="excerpt/by-inn",outcome="ok"}')).toBe(10);
    expect(sample(metrics, 'vendor_calls_total{vendor="tbank",method="excerpt/by-inn",outcome="throttled"}')).toBe(20);
  });

  it('a client that bypassed the limit would get the vendor’s 429: VENDOR_RATE_LIMITED, and it then backs off a whole window', async () => {
    const careless = await startTbankSubgraph({ tbank, focus, env: { TBANK_RATE_LIMIT: '100/min', TBANK_MAX_WAIT: '200ms' } });
    try {
      const [first, second] = legalEntityInns(2, 100);
      const before = tbank.calls.length;
      const result = await careless.gql(`{ company(inn: "${first}") { tbankCheck { ogrn } } }`);
      expect(result.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED', status: 429, vendorCode: 'TOO_MANY_REQUESTS' });
      expect(result.errors![0]!.extensions!.retryAfterSeconds).toBe(61);
      expect(tbank.calls.slice(before).map((call) => call.status)).toEqual([429]);
      // Back-pressure: the next call is not even sent.
      const next = await careless.gql(`{ company(inn: "${second}") { tbankCheck { ogrn } } }`);
      expect(next.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED' });
      expect(tbank.calls.length).toBe(before + 1);
      expect([...careless.logs, ...careless.responses].join('\n')).not.toContain(TEST_TBANK_TOKEN);
    } finally {
      await careless.close();
    }
    expect([...subgraph.logs, ...subgraph.responses, await metricsText(subgraph.url)].join('\n')).not.toContain(TEST_TBANK_TOKEN);
  });
});

describe('without TBANK_TOKEN', () => {
  const env = withSubgraph();

  it('tbankCheck is null and stateContracts empty, without errors or calls', async () => {
    const result = await env.subgraph.gql(
      '{ company(inn: "7700000009") { shortName tbankCheck { ogrn } stateContracts { totalCount edges { cursor } } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data.company).toEqual({ shortName: 'АО "Альянс-М"', tbankCheck: null, stateContracts: { totalCount: null, edges: [] } });
  });
});

describe('T-Bank call budget: timeouts, retries and the rate limit together', () => {
  let focus: FocusEmulator;
  let tbank: TbankEmulator;
  let subgraph: TbankSubgraph;

  beforeAll(async () => {
    focus = await startEmulator();
    tbank = await startTestTbankEmulator({ rateLimit: null });
    subgraph = await startTbankSubgraph({
      tbank,
      focus,
      env: { TBANK_RATE_LIMIT: '3/min', TBANK_MAX_WAIT: '100ms', TBANK_TIMEOUT: '400ms' },
    });
  });
  afterAll(async () => {
    await subgraph?.close();
    await tbank?.close();
    await focus?.close();
  });

  it('a hung call is VENDOR_TIMEOUT within TBANK_TIMEOUT; a retry spends a rate-limit token like any call', async () => {
    const inns = legalEntityInns(3, 87);
    tbank.injectFault({ fault: { kind: 'hang' }, times: 1, whenIdsInclude: [inns[0]!] });
    const started = Date.now();
    const hung = await subgraph.gql(`{ company(inn: "${inns[0]}") { tbankCheck { ogrn } } }`);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(hung.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_TIMEOUT', vendor: 'tbank' });
    expect(hung.errors![0]!.extensions!.vendorRequestId).toMatch(UUID);

    // The second token: a 500, then the retry takes the third token and succeeds.
    tbank.injectFault({ fault: { kind: 'status', status: 500 }, times: 1, whenIdsInclude: [inns[1]!] });
    const retried = await subgraph.gql(`{ company(inn: "${inns[1]}") { tbankCheck { ogrn } } }`);
    expect(retried.errors).toBeUndefined();
    expect(tbank.calls.map((call) => call.status)).toEqual([0, 500, 200]);

    // No token is left for a minute: the next company is refused without a call.
    const refused = await subgraph.gql(`{ company(inn: "${inns[2]}") { tbankCheck { ogrn } } }`);
    expect(refused.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_RATE_LIMITED' });
    expect(tbank.calls).toHaveLength(3);
  });
});
