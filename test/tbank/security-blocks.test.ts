import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import type { TbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { companyFacts, syntheticExcerpt } from '../../src/modules/tbank/emulator/synthetic.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startEmulator } from '../support/subgraph.ts';
import { exampleExcerptFor } from '../support/tbank-examples.ts';
import { startTbankSubgraph, startTestTbankEmulator, type TbankSubgraph } from '../support/tbank.ts';

/**
 * What T-Bank's excerpt adds for a security officer (founders, licences, related companies, finance by year, tax debt,
 * T-Bank's risk level), black-box: the real HTTP subgraph over the T-Bank and Kontur.Focus emulators.
 */

const SECURITY_FIELDS = `
  riskLevel riskLevelValue
  taxDebt { amount date color }
  finance { year revenue profit accountsPayable accountsReceivable }
  financeReason { code text }
  financeYears { from to }
  statements { year periodStart periodEnd lines { code name form section value } }
  founders { name nominalValue sharePercent }
  licences { number authority issuedOn validFrom validTo addresses activities status }
  licenceSummary { total active inactive }
  relatedCompanies { name ogrn inn }
  relationSummary { total byFounder byHead }`;

/** An organisation with person and organisation founders, three licences, related companies by founder and by head. */
const RICH = '7742003072';
/** An organisation on the tax-debt list: T-Bank's tax debt 488 037.40 ₽ (red) and risk level HIGH. */
const IN_DEBT = '7740000083';

let focus: FocusEmulator;
let tbank: TbankEmulator;
let subgraph: TbankSubgraph;

beforeAll(async () => {
  focus = await startEmulator();
  tbank = await startTestTbankEmulator({ rateLimit: null });
  // Malformed answers on purpose: the breaker must not open.
  subgraph = await startTbankSubgraph({ tbank, focus, env: { TBANK_RATE_LIMIT: '1000/min', TBANK_BREAKER_MIN_CALLS: '100000' } });
});
afterAll(async () => {
  await subgraph?.close();
  await tbank?.close();
  await focus?.close();
});

const check = async (inn: string, fields = SECURITY_FIELDS) => {
  const result = await subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { ${fields} } } }`);
  expect(result.errors, inn).toBeUndefined();
  return result.data.company.tbankCheck;
};

describe("Company.excerpt: the registry extract, its PDF link and T-Bank's structured data", () => {
  it('excerpt.tbank is the same excerpt as tbankCheck (one call, shared)', async () => {
    const result = await subgraph.gql(
      `{ company(inn: "${RICH}") { excerpt { format url tbank { riskLevel founders { name } } } tbankCheck { riskLevel founders { name } } } }`,
    );
    expect(result.errors).toBeUndefined();
    const { excerpt, tbankCheck } = result.data.company;
    expect(excerpt.format).toBe('PDF');
    expect(excerpt.url).toMatch(/^\/documents\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\.pdf$/);
    expect(excerpt.tbank).toEqual(tbankCheck);
    expect(excerpt.tbank.founders.map((founder: { name: string }) => founder.name)).toEqual([
      'Комарова Ольга Сергеевна',
      'Филиппова Людмила Петровна',
      'Акционерное общество "Кристалл-77"',
    ]);
  });
});

describe('TbankCheck: founders, licences, related companies, finance, tax debt and risk level', () => {
  it('a synthetic organisation answers the emulator’s exact values', async () => {
    const tbankCheck = await check(RICH);
    const { statements, ...rest } = tbankCheck;
    expect(rest).toEqual({
      riskLevel: 'LOW',
      riskLevelValue: 1,
      taxDebt: null,
      finance: [
        { year: 2024, revenue: '1663000.00', profit: '198000.00', accountsPayable: '404000.00', accountsReceivable: '650000.00' },
        { year: 2023, revenue: '1778000.00', profit: '192000.00', accountsPayable: '439000.00', accountsReceivable: '511000.00' },
        { year: 2022, revenue: '1794000.00', profit: '290000.00', accountsPayable: '38000.00', accountsReceivable: '82000.00' },
      ],
      financeReason: null,
      financeYears: { from: 2022, to: 2024 },
      // Kontur.Focus's founders of the same company (egrDetails), persons and an organisation.
      founders: [
        { name: 'Комарова Ольга Сергеевна', nominalValue: '340000.00', sharePercent: 34 },
        { name: 'Филиппова Людмила Петровна', nominalValue: '330000.00', sharePercent: 33 },
        { name: 'Акционерное общество "Кристалл-77"', nominalValue: '330000.00', sharePercent: 33 },
      ],
      licences: [
        {
          number: 'ЛО-77-01-002668',
          authority: 'ФЕДЕРАЛЬНАЯ СЛУЖБА ПО НАДЗОРУ В СФЕРЕ ЗДРАВООХРАНЕНИЯ',
          issuedOn: '2021-04-14',
          validFrom: '2021-04-14',
          validTo: null,
          addresses: [],
          activities: ['МЕДИЦИНСКАЯ ДЕЯТЕЛЬНОСТЬ'],
          status: 'ACTIVE',
        },
        {
          number: '(77)-4550-СТ',
          authority: 'РОСПРИРОДНАДЗОР',
          issuedOn: '2019-03-02',
          validFrom: '2019-03-02',
          validTo: null,
          addresses: ['129129, г. Москва, б-р Строителей, д. 102, оф. 357'],
          activities: [
            'ДЕЯТЕЛЬНОСТЬ ПО СБОРУ, ТРАНСПОРТИРОВАНИЮ, ОБРАБОТКЕ, УТИЛИЗАЦИИ, ОБЕЗВРЕЖИВАНИЮ, РАЗМЕЩЕНИЮ ОТХОДОВ I - IV КЛАССОВ ОПАСНОСТИ',
          ],
          status: 'ACTIVE',
        },
        {
          number: '77РПА0002038',
          authority: 'РОСАЛКОГОЛЬРЕГУЛИРОВАНИЕ',
          issuedOn: '2020-03-18',
          validFrom: '2020-03-18',
          validTo: '2025-03-18',
          addresses: ['129129, г. Москва, б-р Строителей, д. 102, оф. 357'],
          activities: ['РОЗНИЧНАЯ ПРОДАЖА АЛКОГОЛЬНОЙ ПРОДУКЦИИ'],
          status: 'INACTIVE',
        },
      ],
      licenceSummary: { total: 3, active: 2, inactive: 1 },
      // The founding organisation first, then three companies sharing the head.
      relatedCompanies: [
        { name: 'АО "Кристалл-77"', ogrn: '1077746739311', inn: '7744739319' },
        { name: 'ООО "Уралпром Инжиниринг"', ogrn: '1237746385348', inn: '7746385344' },
        { name: 'АО "Магистраль-Трейд"', ogrn: '1217746668446', inn: '7794668448' },
        { name: 'ООО "Атлант-Трейд"', ogrn: '1247746172805', inn: '7723172808' },
      ],
      relationSummary: { total: 4, byFounder: 1, byHead: 3 },
    });

    // SPARK's statements: a period a year, every non-zero line of Kontur.Focus's forms for the same company.
    const forms = companyFacts(RICH)!.statements;
    expect(statements.map((period: { year: number }) => period.year)).toEqual([2022, 2023, 2024]);
    expect(statements).toEqual(
      forms.map((form) => ({
        year: form.year,
        periodStart: `${form.year}-01-01`,
        periodEnd: `${form.year}-12-31`,
        lines: [
          ...form.form1.map((line) => ({ ...line, form: 'Баланс', section: line.code < 1300 || line.code === 1600 ? 'Актив' : 'Пассив' })),
          ...form.form2.map((line) => ({ ...line, form: 'Отчет о финансовых результатах', section: null })),
        ]
          .filter((line) => line.endValue !== 0)
          .map((line) => ({
            code: String(line.code),
            name: line.name,
            form: line.form,
            section: line.section,
            value: `${line.endValue}.00`,
          })),
      })),
    );
    const line = (year: number, code: string) =>
      statements.find((period: { year: number }) => period.year === year).lines.find((l: { code: string }) => l.code === code);
    expect(line(2024, '2110')).toEqual({
      code: '2110',
      name: 'Выручка',
      form: 'Отчет о финансовых результатах',
      section: null,
      value: '1663000.00',
    });
    expect(line(2024, '2400').value).toBe('198000.00');
    expect(line(2024, '1520')).toMatchObject({ form: 'Баланс', section: 'Пассив', value: '404000.00' });
  });

  it('tax debt and T-Bank’s risk level of a company on the tax-debt list', async () => {
    const tbankCheck = await check(
      IN_DEBT,
      'riskLevel riskLevelValue taxDebt { amount date color } negativeLists { name } founders { name nominalValue sharePercent } relationSummary { total byFounder byHead }',
    );
    expect(tbankCheck).toEqual({
      riskLevel: 'HIGH',
      riskLevelValue: 3,
      taxDebt: { amount: '488037.40', date: '2025-01-11', color: 'RED' },
      negativeLists: [{ name: 'Задолженность по налогам свыше 1000 рублей' }],
      founders: [
        { name: 'Федорова Татьяна Валерьевна', nominalValue: '500000.00', sharePercent: 50 },
        { name: 'Общество с ограниченной ответственностью "Атлант-М"', nominalValue: '500000.00', sharePercent: 50 },
      ],
      relationSummary: { total: 1, byFounder: 1, byHead: 0 },
    });
  });

  it('a sole proprietor: no statements, T-Bank says why', async () => {
    const tbankCheck = await check(
      '366512608416',
      'finance { year } financeReason { code text } financeYears { from } statements { year } founders { name } licences { number }',
    );
    expect(tbankCheck).toEqual({
      finance: [],
      financeReason: { code: 'ENTREPRENEUR', text: 'Индивидуальный предприниматель' },
      financeYears: null,
      statements: [],
      founders: [],
      licences: [],
    });
  });

  it('the vendor’s own example: doubles to kopecks, int64 sums exact, the "no" key as the licence number', async () => {
    const [inn] = legalEntityInns(1, 120);
    tbank.setExcerpt(inn!, exampleExcerptFor(inn!));
    const { statements, ...tbankCheck } = await check(inn!);
    expect(tbankCheck).toEqual({
      riskLevel: 'NOT_ASSESSED',
      riskLevelValue: 0,
      taxDebt: { amount: '10.00', date: '2000-01-01', color: 'GREEN' },
      finance: [
        {
          year: 2021,
          revenue: '378657216000.00',
          profit: '-45639139000.00',
          accountsPayable: '100062394000.00',
          accountsReceivable: '83489186000.00',
        },
        {
          year: 2020,
          revenue: '229766365000.00',
          profit: '-96527133000.00',
          accountsPayable: '107355565000.00',
          accountsReceivable: '81570945000.00',
        },
        {
          year: 2019,
          revenue: '551767420000.00',
          profit: '5286800000.00',
          accountsPayable: '95785513000.00',
          accountsReceivable: '104635508000.00',
        },
      ],
      // Reason and data together, as in the vendor's example (§8.4).
      financeReason: { code: 'LESS_THAN_YEAR', text: 'Компании меньше года' },
      financeYears: { from: 2015, to: 2020 },
      founders: [],
      licences: [
        {
          number: '14761-АТ',
          authority: 'МИНИСТЕРСТВО',
          issuedOn: '2020-07-29',
          validFrom: '2020-07-30',
          validTo: null,
          addresses: [],
          activities: ['РАЗРАБОТКА'],
          status: 'ACTIVE',
        },
        {
          number: 'Л041-01162-50/00369716',
          authority: 'ФЕДЕРАЛЬНАЯ СЛУЖБА ПО НАДЗОРУ В СФЕРЕ ЗДРАВООХРАНЕНИЯ',
          issuedOn: '2020-04-09',
          validFrom: '2020-04-09',
          validTo: null,
          addresses: [],
          activities: ['МЕДИЦИНСКАЯ ДЕЯТЕЛЬНОСТЬ'],
          status: 'ACTIVE',
        },
        {
          number: 'Л042-01137-77/00283899',
          authority: 'ДЕПАРТАМЕНТ ЗДРАВООХРАНЕНИЯ',
          issuedOn: '2019-10-03',
          validFrom: '2019-10-03',
          validTo: null,
          addresses: [],
          activities: ['ФАРМАЦЕВТИЧЕСКАЯ ДЕЯТЕЛЬНОСТЬ'],
          status: 'ACTIVE',
        },
      ],
      licenceSummary: { total: 10, active: 10, inactive: 0 },
      relatedCompanies: [{ name: 'ООО "Название"', ogrn: '1000000000000', inn: '000000000000' }],
      relationSummary: { total: 10, byFounder: 0, byHead: 0 },
    });
    expect(statements).toEqual([
      {
        year: 2015,
        periodStart: '2015-01-01',
        periodEnd: '2015-12-31',
        lines: [
          { code: '1110', name: 'Нематериальные активы', form: 'Баланс', section: 'Актив', value: '554779000.00' },
          { code: '1150', name: 'Основные средства', form: 'Баланс', section: 'Актив', value: '11502405000.00' },
          { code: '1170', name: 'Долгосрочные финансовые вложения', form: 'Баланс', section: 'Актив', value: '13980027000.00' },
        ],
      },
      {
        year: 2016,
        periodStart: '2016-01-01',
        periodEnd: '2016-12-31',
        lines: [
          { code: '1110', name: 'Нематериальные активы', form: 'Баланс', section: 'Актив', value: '50345000.00' },
          { code: '1150', name: 'Основные средства', form: 'Баланс', section: 'Актив', value: '10687759000.00' },
          { code: '1160', name: 'Доходные вложения в материальные ценности', form: 'Баланс', section: 'Актив', value: '636050000.00' },
        ],
      },
      {
        year: 2017,
        periodStart: '2017-01-01',
        periodEnd: '2017-12-31',
        lines: [
          { code: '1110', name: 'Нематериальные активы', form: 'Баланс', section: 'Актив', value: '69825000.00' },
          { code: '1150', name: 'Основные средства', form: 'Баланс', section: 'Актив', value: '11072450000.00' },
          { code: '1160', name: 'Доходные вложения в материальные ценности', form: 'Баланс', section: 'Актив', value: '566919000.00' },
        ],
      },
    ]);
  });

  it('a double tax debt and nominal value are rounded to kopecks; absent blocks read as empty', async () => {
    const [inn] = legalEntityInns(1, 121);
    const body = exampleExcerptFor(inn!) as any;
    body.excerpt.innerCheckResult.taxDebt = { value: { sum: 1234.565, statDate: '2024-12-31' }, color: 'yellow' };
    body.excerpt.checkResult.riskLevel = { value: null, color: 'red' };
    body.excerpt.founders = [{ name: 'Иванов Иван Иванович', nominalCostAmount: 3333.335, sharePercent: 33.3 }, { name: 'ООО "Ромашка"' }];
    body.excerpt.licenses = null;
    delete body.excerpt.relatedCompanies;
    body.excerpt.financialStatementsResponse = {};
    tbank.setExcerpt(inn!, body);
    expect(
      await check(
        inn!,
        'riskLevel riskLevelValue taxDebt { amount date color } founders { name nominalValue sharePercent } licences { number } relatedCompanies { ogrn } finance { year } financeReason { code }',
      ),
    ).toEqual({
      riskLevel: 'HIGH',
      riskLevelValue: null,
      taxDebt: { amount: '1234.57', date: '2024-12-31', color: 'YELLOW' },
      founders: [
        { name: 'Иванов Иван Иванович', nominalValue: '3333.34', sharePercent: 33.3 },
        { name: 'ООО "Ромашка"', nominalValue: null, sharePercent: null },
      ],
      licences: [],
      relatedCompanies: [],
      finance: [],
      financeReason: null,
    });
  });
});

describe('the emulator’s traffic light equals its own checks', () => {
  const INNS = ['7700000009', '7700000376', '7700000016', '7700000129', '6600000074', '6663003127', '366512608416', RICH, IN_DEBT];

  it.each(INNS)('%s: red, yellow and green are the counts of the checks by colour', async (inn) => {
    const { trafficLight } = await check(inn, 'trafficLight { red yellow green checks { check color } }');
    const count = (color: string) => trafficLight.checks.filter((c: { color: string }) => c.color === color).length;
    expect(trafficLight.checks.length).toBeGreaterThanOrEqual(13);
    expect([trafficLight.red, trafficLight.yellow, trafficLight.green]).toEqual([count('RED'), count('YELLOW'), count('GREEN')]);
    // T-Bank's tax-debt and risk-level checks are among them.
    expect(trafficLight.checks.map((c: { check: string }) => c.check)).toEqual(expect.arrayContaining(['taxDebt', 'riskLevel', 'finance']));
  });

  it('exact counts and colours for the company in debt', async () => {
    const { trafficLight } = await check(IN_DEBT, 'trafficLight { red yellow green checks { check color } }');
    expect(trafficLight).toEqual({
      red: 4,
      yellow: 0,
      green: 7,
      checks: [
        { check: 'status', color: 'GREEN' },
        { check: 'registrationDate', color: 'GREEN' },
        { check: 'legalForm', color: 'GREEN' },
        { check: 'okvedCount', color: 'NONE' },
        { check: 'licensedOkvedCount', color: 'NONE' },
        { check: 'riskLevel', color: 'RED' },
        { check: 'activeProceedings', color: 'GREEN' },
        { check: 'sameAddressNumber', color: 'GREEN' },
        { check: 'sameManager', color: 'RED' },
        { check: 'isNegative', color: 'RED' },
        { check: 'bankruptcyMessage', color: 'GREEN' },
        { check: 'finance', color: 'GREEN' },
        { check: 'taxDebt', color: 'RED' },
      ],
    });
  });
});

describe('a malformed security block is VENDOR_BAD_RESPONSE, never cached, never read as "none"', () => {
  const excerptOf = (inn: string) => structuredClone(syntheticExcerpt(companyFacts(inn)!)) as any;
  const callsFor = (inn: string) => tbank.calls.filter((call) => call.ids[0] === inn).length;

  const CASES: Array<[string, (body: any) => void]> = [
    [
      'a tax debt whose sum is text',
      (body) => (body.excerpt.innerCheckResult.taxDebt = { value: { sum: 'много', statDate: '2025-01-01' }, color: 'red' }),
    ],
    ['a tax debt without its date', (body) => (body.excerpt.innerCheckResult.taxDebt = { value: { sum: 5000 }, color: 'yellow' })],
    ['a tax debt of an unknown colour', (body) => (body.excerpt.innerCheckResult.taxDebt = { value: null, color: 'purple' })],
    ['a risk level of an unknown colour', (body) => (body.excerpt.checkResult.riskLevel = { value: 3, color: 'crimson' })],
    ['a risk level that is not an int32', (body) => (body.excerpt.checkResult.riskLevel = { value: 2.5, color: 'yellow' })],
    ['a founder without a name', (body) => (body.excerpt.founders = [{ nominalCostAmount: 10000, sharePercent: 100 }])],
    ['founders that are not a list', (body) => (body.excerpt.founders = 'Иванов')],
    ['a licence of an unknown status', (body) => (body.excerpt.licenses = [{ no: '1', address: [], activity: [], status: 'revoked' }])],
    ['a licence without its activities', (body) => (body.excerpt.licenses = [{ no: '1', address: [], status: 'active' }])],
    ['a related company without an OGRN', (body) => (body.excerpt.relatedCompanies = [{ name: 'ООО "Ромашка"', inn: '7707083893' }])],
    [
      'finance whose year is text',
      (body) =>
        (body.excerpt.financialStatementsResponse = {
          financialStatementsData: { ...excerptOf(RICH).excerpt.financialStatementsResponse.financialStatementsData, year: '2024' },
        }),
    ],
    ['an excerpt block that is not an object', (body) => (body.excerpt = 'выписка')],
  ];

  it.each(CASES.map(([name, breakIt], index) => [name, breakIt, index] as const))('%s', async (_name, breakIt, index) => {
    const inn = legalEntityInns(CASES.length, 122)[index]!;
    const body = excerptOf(inn);
    breakIt(body);
    tbank.injectFault({ fault: { kind: 'body', body }, whenIdsInclude: [inn] });
    try {
      for (const attempt of [1, 2]) {
        const before = callsFor(inn);
        const result = await subgraph.gql(`{ company(inn: "${inn}") { shortName tbankCheck { taxDebt { amount } riskLevel } } }`);
        expect(callsFor(inn), `attempt ${attempt}`).toBe(before + 1);
        expect(result.data.company.shortName).toBeTruthy();
        expect(result.data.company.tbankCheck).toBeNull();
        expect(result.errors).toHaveLength(1);
        expect(result.errors![0]).toMatchObject({
          path: ['company', 'tbankCheck'],
          message: 'T-Bank excerpt/by-inn answered with an unexpected shape',
          extensions: { code: 'VENDOR_BAD_RESPONSE', vendor: 'tbank', method: 'excerpt/by-inn', status: 200 },
        });
      }
    } finally {
      tbank.clearFaults();
    }
    const answered = await subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { inn } } }`);
    expect(answered).toEqual({ data: { company: { tbankCheck: { inn } } } });
  });
});
