/**
 * Deterministic T-Bank answers for the emulator, derived from the SAME company the Kontur.Focus emulator describes
 * (its captured fixtures, else its synthetic registry), so that both vendors agree on a company in the sandbox and in
 * tests: identifiers, names, KPP, status, address, head, OKVED, and the risk facts Kontur.Focus's analytics flag.
 *
 * Rules (the README repeats them):
 * - INNs starting with "00" (no such region), and INNs the Kontur.Focus emulator does not know, answer 422 NO_DATA;
 *   so does an OGRN the Focus emulator has not produced in this process (as there).
 * - statusType follows the Focus status flags: dissolved → liquidated, bankrupting, dissolving → liquidating,
 *   reorganizing, "Действующ…" → active, else unknown.
 * - Negative lists follow Focus analytics: m4001 → unfair suppliers, m5001/m5008 → disqualified persons,
 *   m5006 → unreliable address, m5003 → mass address, m5005 → no tax reporting, m5004 → tax debt; plus, seeded by the
 *   INN, one list (never the mass-address one) for about 6 % of operating companies and 30 % of the others.
 * - Frozen account decisions (1–4, with banks) exactly when Focus analytics has m7010 (blocked bank accounts).
 * - Companies at the same address: 60–400 with the mass-address list (m5003), else 20–150 for about 10 % of
 *   companies, else 1–6.
 * - Enforcement proceedings from Focus's q1001/q1002, arbitration from q2001–q2004 (as money strings), net income
 *   from s6008/q6001; a bankruptcy notice for every bankrupt company and about 30 % of liquidated ones.
 * - State contracts: INNs whose digits 3–5 are "250" have exactly 250 (three pages of 100), "120" exactly 120; other
 *   companies 0 (60 %) or 1–40. contractId is a 19-digit string.
 * - SPARK dates carry a "+03:00" suffix (bankruptcy notices "Z"), money is a string of digits, plain dates are plain.
 */
import { isValidInn, ogrnCheckDigit } from '../../../domain/identifiers.ts';
import { oneLineAddress } from '../../../domain/address.ts';
import {
  AnalyticsRecordSchema,
  EgrDetailsRecordSchema,
  ReqRecordSchema,
  SYNTHETIC_PAYLOADS,
  addDays,
  loadFocusFixtures,
  rngFor,
  syntheticRecords,
  type FocusAnalyticsValues,
  type FocusRecord,
  type FocusReqRecord,
  type Rng,
} from '../../kontur-focus/emulator/index.ts';

type Json = Record<string, unknown>;

const isInnShape = (identifier: string): boolean => identifier.length === 10 || identifier.length === 12;

/** The Kontur.Focus records of a method for an INN or OGRN: captured ones for captured companies, else synthetic. */
function focusRecords(method: 'req' | 'analytics' | 'egrDetails', identifier: string): readonly FocusRecord[] {
  const fixtures = loadFocusFixtures();
  if (fixtures.knows(identifier))
    return (isInnShape(identifier) ? fixtures.byInn(method, identifier) : fixtures.byOgrn(method, identifier)) ?? [];
  if (isInnShape(identifier) && (!isValidInn(identifier) || identifier.startsWith('00'))) return [];
  return syntheticRecords(SYNTHETIC_PAYLOADS[method], identifier);
}

/** The registration an INN's excerpt describes: the one not dissolved, else the latest registered. */
function currentRecord(records: readonly FocusReqRecord[]): FocusReqRecord | undefined {
  const part = (record: FocusReqRecord) => record.UL ?? record.IP;
  const byLatest = [...records].sort((a, b) => (part(b)?.registrationDate ?? '').localeCompare(part(a)?.registrationDate ?? ''));
  return byLatest.find((record) => !part(record)?.status?.dissolved) ?? byLatest[0];
}

/** The company an INN or OGRN names, as Kontur.Focus describes it; undefined = unknown (422 NO_DATA). */
export interface CompanyFacts {
  req: FocusReqRecord;
  analytics: FocusAnalyticsValues;
  activities: Array<{ code: string; name: string | undefined; isMain: boolean }>;
}

export function companyFacts(identifier: string): CompanyFacts | undefined {
  const req = currentRecord(focusRecords('req', identifier).map((record) => ReqRecordSchema.parse(record)));
  if (!req?.ogrn) return undefined;
  const own = <R extends { ogrn?: string | undefined }>(records: R[]) => records.find((record) => record.ogrn === req.ogrn) ?? records[0];
  const analytics = own(focusRecords('analytics', req.ogrn).map((record) => AnalyticsRecordSchema.parse(record)))?.analytics ?? {};
  const details = own(focusRecords('egrDetails', req.ogrn).map((record) => EgrDetailsRecordSchema.parse(record)));
  const activities = details?.UL?.activities ?? details?.IP?.activities;
  const list = [
    ...(activities?.principalActivity ? [{ ...activities.principalActivity, isMain: true }] : []),
    ...(activities?.complementaryActivities ?? []).map((activity) => ({ ...activity, isMain: false })),
  ];
  return {
    req,
    analytics,
    activities: list.filter((a) => a.code !== undefined).map((a) => ({ code: a.code!, name: a.text, isMain: a.isMain })),
  };
}

// ─── Dates ──────────────────────────────────────────────────────────────────────────────────────

const MSK = '+03:00';
const sdate = (date: string | undefined): string | undefined => (date ? `${date}${MSK}` : undefined);
const zdate = (date: string | undefined): string | undefined => (date ? `${date}Z` : undefined);

// ─── Status ─────────────────────────────────────────────────────────────────────────────────────

type StatusType = 'active' | 'reorganizing' | 'liquidating' | 'liquidated' | 'bankrupting' | 'unknown';

function statusTypeOf(req: FocusReqRecord): StatusType {
  const status = (req.UL ?? req.IP)?.status;
  if (!status) return 'unknown';
  if (status.dissolved) return 'liquidated';
  if (status.bankrupting) return 'bankrupting';
  if (status.dissolving) return 'liquidating';
  if (status.reorganizing) return 'reorganizing';
  return status.statusString && /^действующ/i.test(status.statusString.trim()) ? 'active' : 'unknown';
}

/** SPARK's status codes and group names; the numbers are the emulator's own (the live values are undocumented). */
const SPARK_STATUS: Record<StatusType, { code: number; type: string; isActing: boolean }> = {
  active: { code: 24, type: 'Действующее', isActing: true },
  reorganizing: { code: 30, type: 'В процессе реорганизации', isActing: true },
  liquidating: { code: 27, type: 'В стадии ликвидации', isActing: true },
  bankrupting: { code: 32, type: 'Банкротство', isActing: true },
  liquidated: { code: 31, type: 'Ликвидировано', isActing: false },
  unknown: { code: 0, type: 'Неизвестно', isActing: false },
};

// ─── Lists ──────────────────────────────────────────────────────────────────────────────────────

const NEGATIVE_LISTS = {
  unfairSupplier: { id: 11, listName: 'Реестр недобросовестных поставщиков' },
  disqualified: { id: 12, listName: 'Дисквалифицированные лица в руководстве' },
  invalidAddress: { id: 13, listName: 'Недостоверные сведения об адресе' },
  massAddress: { id: 14, listName: 'Адрес массовой регистрации' },
  noReporting: { id: 15, listName: 'Не представляет налоговую отчётность более года' },
  taxDebt: { id: 16, listName: 'Задолженность по налогам свыше 1000 рублей' },
} as const;

type NegativeKey = keyof typeof NEGATIVE_LISTS;

function negativeKeys(rng: Rng, analytics: FocusAnalyticsValues, operating: boolean): NegativeKey[] {
  const keys = new Set<NegativeKey>();
  if (analytics.m4001 === true) keys.add('unfairSupplier');
  if (analytics.m5001 === true || analytics.m5008 === true) keys.add('disqualified');
  if (analytics.m5006 === true) keys.add('invalidAddress');
  if (analytics.m5003 === true) keys.add('massAddress');
  if (analytics.m5005 === true) keys.add('noReporting');
  if (analytics.m5004 === true) keys.add('taxDebt');
  // A seeded extra list; never the mass-address one, which must agree with the same-address count.
  if (rng.chance(operating ? 0.06 : 0.3))
    keys.add(rng.pick((Object.keys(NEGATIVE_LISTS) as NegativeKey[]).filter((key) => key !== 'massAddress')));
  return [...keys];
}

// ─── Banks ──────────────────────────────────────────────────────────────────────────────────────

const BANKS = [
  { bik: '044525225', name: 'ПАО СБЕРБАНК' },
  { bik: '044525974', name: 'АО "ТБАНК"' },
  { bik: '044525187', name: 'БАНК ВТБ (ПАО)' },
  { bik: '044525593', name: 'АО "АЛЬФА-БАНК"' },
  { bik: '044525555', name: 'ПАО "ПРОМСВЯЗЬБАНК"' },
] as const;

const FREEZE_REASONS = [
  'Непредставление налоговой декларации',
  'Неисполнение требования об уплате налога, сбора, пени, штрафа',
  'Непередача квитанции о приёме документов',
];

// ─── Contracts ──────────────────────────────────────────────────────────────────────────────────

/** How many state contracts an INN has (see the rules above). */
export function contractCount(inn: string): number {
  const digits = inn.slice(2, 5);
  if (digits === '250') return 250;
  if (digits === '120') return 120;
  const rng = rngFor(inn, 'tbank/contracts');
  return rng.chance(0.6) ? 0 : rng.int(1, 40);
}

const STAGES = ['execution', 'completed', 'completed', 'completed', 'canceled', 'stopped', 'unknown'] as const;
const OBJECT_TYPES = ['Услуги', 'Товары', 'Работы'];

/** Contract `index` of an OGRN's list (newest first), generated on its own so a page costs only its items. */
export function syntheticContract(inn: string, index: number): Json {
  const rng = rngFor(inn, `tbank/contract/${index}`);
  const prefix = `1${rng.digits(2)}${inn.slice(0, 2)}${rng.digits(7)}`;
  return {
    // 19 digits, well past Number.MAX_SAFE_INTEGER: a client parsing it as a number loses digits.
    contractId: `${rng.int(1, 3)}${rng.digits(18)}`,
    counterpartyOgrn: prefix + ogrnCheckDigit(prefix),
    purchaseObjectTypeName: rng.pick(OBJECT_TYPES),
    stageCode: rng.pick(STAGES),
    role: rng.chance(0.85) ? 'supplier' : 'customer',
    price: rng.money(10_000, 50_000_000),
  };
}

// ─── The excerpt ────────────────────────────────────────────────────────────────────────────────

function companyCard(facts: CompanyFacts, statusType: StatusType, legalAddress: string | undefined, contracts: number): Json {
  const { req } = facts;
  const ul = req.UL;
  const ip = req.IP;
  const part = ul ?? ip;
  const activeText = ul ? 'Действующая организация' : 'Действующий индивидуальный предприниматель';
  const address = ul?.legalAddress?.parsedAddressRF;
  return {
    statusType,
    requisites: {
      inn: req.inn ?? null,
      ogrn: req.ogrn,
      kpp: ul?.kpp ?? null,
      shortName: ul ? (ul.legalName?.short ?? null) : ip?.fio ? `ИП ${ip.fio}` : null,
      fullName: ul ? (ul.legalName?.full ?? null) : (ip?.fio ?? null),
      dateReg: part?.registrationDate ?? null,
      terminationDt: statusType === 'liquidated' ? (part?.dissolutionDate ?? part?.status?.date ?? null) : null,
      status: statusType === 'active' ? activeText : (part?.status?.statusString ?? null),
      authorizedCapitalAmount: null,
      ogrnAssignDate: part?.registrationDate ?? null,
      legalAddress: legalAddress ?? null,
      city:
        address?.city?.topoValue ??
        (address && ['77', '78', '92'].includes(address.regionCode ?? '') ? address.regionName?.topoValue : undefined) ??
        null,
    },
    pages: [
      { page: 'okved' },
      ...(contracts > 0 ? [{ page: 'contract' }] : []),
      { page: 'history' },
      { page: 'trafficLight' },
      ...(ul ? [{ page: 'financialStatements' }] : []),
    ],
  };
}

/** T-Bank's answer to excerpt / excerpt/by-inn for a company the Kontur.Focus emulator knows. */
export function syntheticExcerpt(facts: CompanyFacts): Json {
  const { req, analytics } = facts;
  const inn = req.inn!;
  const rng = rngFor(inn, 'tbank');
  const statusType = statusTypeOf(req);
  const operating = statusType === 'active' || statusType === 'reorganizing';
  const part = (req.UL ?? req.IP)!;
  const isCompany = req.UL !== undefined;
  const parsedAddress = req.UL?.legalAddress?.parsedAddressRF;
  const legalAddress = parsedAddress ? oneLineAddress(parsedAddress) : undefined;
  const contracts = contractCount(inn);

  const spark = SPARK_STATUS[statusType];
  const statusDate = part.status?.date ?? part.registrationDate;
  const sparkStatus = {
    isActing: spark.isActing,
    code: spark.code,
    date: sdate(statusDate),
    text: part.status?.statusString ?? spark.type,
    type: spark.type,
    groupId: spark.isActing ? 1 : 2,
    groupName: spark.isActing ? 'Действующее' : 'Недействующее',
  };

  const negativeKeyList = negativeKeys(rng, analytics, operating);
  const negative = negativeKeyList.map((key) => ({ isNegative: true, ...NEGATIVE_LISTS[key] }));
  const includeInList = [
    { isNegative: false, id: 6, listName: 'Компании, сдающие отчетность' },
    ...(isCompany ? [{ isNegative: false, id: 8, listName: 'Компании' }] : [{ isNegative: false, id: 26, listName: 'Реестр субъектов' }]),
    ...negative,
  ];

  const frozen =
    analytics.m7010 === true
      ? Array.from({ length: rng.int(1, 4) }, (_, i) => {
          const bank = rng.pick(BANKS);
          const taxCode = inn.slice(0, 4);
          return {
            sparkId: { isPowerOfTwo: false, isZero: false, isOne: false, isEven: rng.chance(0.5), sign: 1 },
            reason: { id: i + 1, name: rng.pick(FREEZE_REASONS) },
            taxAuthority: { code: taxCode, name: `Инспекция Федеральной налоговой службы № ${Number(taxCode.slice(2)) || 1}` },
            bank: { sparkId: { isPowerOfTwo: false, isZero: false, isOne: false, isEven: true, sign: 1 }, bik: bank.bik, name: bank.name },
            number: String(rng.int(1000, 99999)),
            date: sdate(addDays('2025-03-20', -rng.int(0, 300))),
          };
        })
      : [];

  const sameAddressCount = negativeKeyList.includes('massAddress') ? rng.int(60, 400) : rng.chance(0.1) ? rng.int(20, 150) : rng.int(1, 6);
  const head = req.UL?.heads[0];
  const managerCount = rng.chance(0.05) ? rng.int(10, 60) : rng.int(1, 3);
  const phoneCount = rng.int(1, 3);

  const activeProceedings = typeof analytics.q1001 === 'number' ? analytics.q1001 : 0;
  const allProceedings = typeof analytics.q1002 === 'number' ? analytics.q1002 : activeProceedings;
  const proceedings = { active: activeProceedings, executed: Math.max(0, allProceedings - activeProceedings) };

  const defendant = { casesNumber: Number(analytics.q2001 ?? 0), sum: money(analytics.s2001) };
  const plaintiff = { casesNumber: Number(analytics.q2003 ?? 0), sum: money(analytics.s2003) };
  const arbitrationCases = {
    cases: [{ year: 2024, plaintiff, defendant, thirdOrOtherPerson: { casesNumber: rng.int(0, 3) } }],
    total: Number(analytics.q2002 ?? 0) + Number(analytics.q2004 ?? 0),
    considered: defendant.casesNumber + plaintiff.casesNumber,
    appealed: 0,
    decisionsAndRulings: 0,
    completed: Math.max(0, Number(analytics.q2002 ?? 0) + Number(analytics.q2004 ?? 0) - defendant.casesNumber - plaintiff.casesNumber),
  };

  const bankrupt = statusType === 'bankrupting' || (statusType === 'liquidated' && rng.chance(0.3));
  const noticeDate = statusDate ?? '2024-01-15';
  const bankruptcyMessage = bankrupt
    ? {
        idType: 7,
        messageType: 'Сообщение о судебном акте',
        date: zdate(noticeDate),
        decisionDate: zdate(addDays(noticeDate, -7)),
        caseNumber: `А${String(rng.int(40, 83))}-${rng.int(1000, 99999)}/${noticeDate.slice(0, 4)}`,
        caseId: rng.int(10_000_000, 99_999_999),
      }
    : undefined;

  const netYear = typeof analytics.q6001 === 'number' ? analytics.q6001 : undefined;
  const netIncome =
    isCompany && netYear !== undefined && typeof analytics.s6008 === 'number'
      ? {
          periodName: String(netYear),
          dateBegin: sdate(`${netYear}-01-01`),
          dateEnd: sdate(`${netYear}-12-31`),
          sum: String(Math.round(analytics.s6008)),
        }
      : undefined;

  const okved = facts.activities.map((activity) => ({ code: activity.code, name: activity.name ?? null, isMain: activity.isMain }));
  const main = okved.find((item) => item.isMain);

  const expressExcerpt = {
    inn,
    companyType: isCompany ? 'company' : 'entrepreneur',
    companyWithSameInfo: {
      sameManager: { manager: head?.fio ?? req.IP?.fio ?? null, managerCountInCountry: managerCount, managerInnCount: managerCount - 1 },
      sameAddress: { address: legalAddress ?? null, addressCount: sameAddressCount },
      samePhone: { phoneCode: null, phoneNumber: null, phoneCount },
    },
    negativeLists: negative,
    status: sparkStatus,
    okvedInfo: main ? { code: main.code, name: main.name, okvedCount: okved.length } : undefined,
    netIncome,
    activeProceedingsCount: activeProceedings,
    bankruptcyMessage,
    frozenAccountDecisions: frozen,
    arbitrationCasesInfo: { year: 2024, count: defendant.casesNumber + plaintiff.casesNumber },
  };

  const leaders = (req.UL?.heads ?? []).map((h) => ({
    actualDate: h.date ?? null,
    name: h.fio ?? 'Неизвестно',
    position: h.position ?? null,
  }));
  const colours = trafficLight({
    statusType,
    operating,
    proceedings: activeProceedings,
    sameAddressCount,
    negative: negative.length,
    bankrupt,
    managerCount,
  });
  const contractPreview = Array.from({ length: Math.min(3, contracts) }, (_, i) => syntheticContract(inn, i));

  const block = isCompany
    ? {
        companyExcerpt: {
          shortName: '',
          inn,
          ogrn: req.ogrn,
          okpo: part.okpo ?? null,
          isActing: spark.isActing,
          shortNameRus: req.UL?.legalName?.short ?? null,
          fullNameRus: req.UL?.legalName?.full ?? null,
          dateFirstReg: part.registrationDate ?? null,
          kpp: req.UL?.kpp ?? null,
          okato: { value: '', code: part.okato ?? null, regionName: parsedAddress?.regionName?.topoValue ?? null, regionCode: null },
          status: sparkStatus,
          phones: [],
          leaders: (req.UL?.heads ?? []).map((h) => ({ actualDate: sdate(h.date), name: h.fio ?? null, position: h.position ?? null })),
          proceedings,
          companyWithSameInfo: { addressCount: sameAddressCount, managerCountInCountry: managerCount, managerInnCount: managerCount - 1 },
          arbitrationCases,
          okved,
          address: parsedAddress
            ? [
                {
                  postCode: parsedAddress.zipCode ?? null,
                  address: legalAddress ?? null,
                  streetName: parsedAddress.street
                    ? `${parsedAddress.street.topoShortName ?? ''} ${parsedAddress.street.topoValue ?? ''}`.trim()
                    : null,
                  buildingNumber: parsedAddress.house?.topoValue ?? null,
                  fiasRegion: parsedAddress.regionCode ?? null,
                  actualDate: sdate(req.UL?.legalAddress?.date),
                },
              ]
            : [],
          fts: [],
          includeInList,
          bankruptcyMessage: bankruptcyMessage ? [bankruptcyMessage] : [],
          expressExcerpt,
        },
      }
    : {
        entrepreneurExcerpt: {
          inn,
          ogrnip: req.ogrn,
          okpo: part.okpo ?? null,
          fullNameRus: req.IP?.fio ?? null,
          dateReg: part.registrationDate ?? null,
          okato: { value: '', code: part.okato ?? null, regionName: null, regionCode: null },
          okopf: { code: '50102', name: 'Индивидуальные предприниматели' },
          phoneList: [],
          status: sparkStatus,
          includeInList,
          okved,
          submittedStatements: [],
          executionProceedings: proceedings,
          arbitrationCases,
          bankruptcyMessage: bankruptcyMessage ? [bankruptcyMessage] : [],
          expressExcerpt,
        },
      };

  return {
    companyType: isCompany ? 'company' : 'entrepreneur',
    ...block,
    companyCard: companyCard(facts, statusType, legalAddress, contracts),
    excerpt: {
      requisites: {
        legalForm: req.UL?.opf?.toUpperCase() ?? 'ИНДИВИДУАЛЬНЫЕ ПРЕДПРИНИМАТЕЛИ',
        entityRegistrationDate: part.registrationDate ?? null,
      },
      okvedSummary: {
        count: okved.length,
        main: okved.filter((item) => item.isMain).map((item) => ({ code: item.code, description: item.name })),
        additional: okved.filter((item) => !item.isMain).map((item) => ({ code: item.code, description: item.name })),
      },
      contractSummary: {
        count: contracts,
        admittedCount: contracts,
        notAdmittedCount: 0,
        totalValue: contracts > 0 ? Math.round(rng.money(100_000, 5e9) * 100) / 100 : 0,
      },
      licenseSummary: { total: 0, active: 0, inactive: 0 },
      trafficLightColors: colours.counts,
      innerCheckResult: colours.inner,
      checkResult: {
        status: { value: part.status?.statusString ?? spark.type, color: operating ? 'green' : 'red' },
        registrationDate: {
          value: part.registrationDate ?? null,
          color: (part.registrationDate ?? '9999') < '2022-04-01' ? 'green' : 'yellow',
        },
        legalForm: { value: req.UL?.opf ?? 'Индивидуальные предприниматели', color: 'green' },
        okvedCount: { value: okved.length, color: 'none' },
        licensedOkvedCount: { value: 0, color: 'none' },
        riskLevel: { value: colours.counts.redCount > 0 ? 2 : 0, color: 'none' },
      },
      relationSummary: { total: 0, relatedByFounder: 0, relatedByConfidant: 0 },
      relatedCompanies: [],
      leaders,
      founders: [],
      history: [],
      licenses: [],
      contracts: contractPreview,
      financialStatementsResponse: isCompany
        ? {}
        : { reason: { reasonCode: 'isEntrepreneur', reasonText: 'Индивидуальный предприниматель' } },
    },
  };
}

/** A Focus amount in roubles (with kopecks) as SPARK's string of whole roubles. */
function money(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(Math.round(value)) : '0';
}

interface LightInputs {
  statusType: StatusType;
  operating: boolean;
  proceedings: number;
  sameAddressCount: number;
  negative: number;
  bankrupt: boolean;
  managerCount: number;
}

function trafficLight(input: LightInputs) {
  const colour = (red: boolean, yellow = false) => (red ? 'red' : yellow ? 'yellow' : 'green');
  const inner: Record<string, { value: unknown; color: string }> = {
    activeProceedings: { value: input.proceedings, color: colour(input.proceedings > 10, input.proceedings > 0) },
    sameAddressNumber: { value: input.sameAddressCount, color: colour(input.sameAddressCount >= 50, input.sameAddressCount >= 10) },
    sameManager: {
      value: { sameManager: { managerCountInCountry: input.managerCount } },
      color: colour(input.managerCount >= 10, input.managerCount > 3),
    },
    isNegative: { value: { negativeListsCount: input.negative }, color: colour(input.negative > 0) },
    bankruptcyMessage: { value: null, color: colour(input.bankrupt) },
  };
  const colours = [...Object.values(inner).map((check) => check.color), input.operating ? 'green' : 'red'];
  return {
    inner,
    counts: {
      redCount: colours.filter((c) => c === 'red').length,
      yellowCount: colours.filter((c) => c === 'yellow').length,
      greenCount: colours.filter((c) => c === 'green').length,
    },
  };
}
