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
 * - Founders are Kontur.Focus's (egrDetails: persons by full name, organisations by name, each with the nominal value
 *   and percent of its share); related companies are the founding organisations ("by founder") plus, for about 25 %
 *   of organisations, 1–5 other synthetic companies of the region ("by head"); the preview holds at most 4.
 * - Licences are Kontur.Focus's (the preview at most 3, upper-cased like T-Bank's; licenseSummary counts all):
 *   "Действующая" → active, "Истекла"/"Прекращена" → inactive, no status → unknown.
 * - Finance is Kontur.Focus's statements (buh): SPARK's `finance` periods with every non-zero line, the express
 *   excerpt's financeYears, and financialStatementsData (revenue 2110, profit 2400, accounts payable 1520, accounts
 *   receivable 1230) for up to the last five years; `reason` isEntrepreneur for sole proprietors, lessThanYear for
 *   an organisation registered under a year before the registry's date (2025-04-01) without statements, else noData.
 * - Tax debt (innerCheckResult.taxDebt): over 1000 roubles exactly when the company is on the tax-debt list (its sum
 *   1 001–2 000 000), else 10–999 roubles for about 8 % of companies, else none (value null); stated on a day in
 *   January–March 2025; red from 100 000 roubles, yellow over 1000, else green.
 * - T-Bank's risk level (checkResult.riskLevel, the emulator's own scale as the vendor documents none): value 3 "red"
 *   with two or more red checks besides it, 2 "yellow" with one red or three yellow, else 1 "green".
 * - trafficLightColors counts the colours of every check of checkResult and innerCheckResult (none is not counted),
 *   so the counts always equal the checks.
 */
import { z } from 'zod';
import { innCheckDigits, isValidInn, ogrnCheckDigit } from '../../../domain/identifiers.ts';
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
function focusRecords(method: 'req' | 'analytics' | 'egrDetails' | 'licences' | 'buh', identifier: string): readonly FocusRecord[] {
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

/** A licence as Kontur.Focus's /licences lists it (both of its record styles). */
const FocusLicenceSchema = z.object({
  source: z.string().optional().catch(undefined),
  officialNum: z.string().optional().catch(undefined),
  issuerName: z.string().optional().catch(undefined),
  date: z.string().optional().catch(undefined),
  dateStart: z.string().optional().catch(undefined),
  dateEnd: z.string().optional().catch(undefined),
  statusDescription: z.string().optional().catch(undefined),
  activity: z.string().optional().catch(undefined),
  services: z.array(z.string()).optional().catch(undefined),
  addresses: z.array(z.string()).optional().catch(undefined),
});
const FocusLicencesSchema = z.object({ ogrn: z.string().optional().catch(undefined), licenses: z.array(FocusLicenceSchema).catch([]) });

const BuhLineSchema = z.object({ code: z.number(), name: z.string(), endValue: z.number() });
/** A year of Kontur.Focus's /buh statements (values in roubles). */
const BuhFormSchema = z.object({
  year: z.number().int(),
  form1: z.array(BuhLineSchema).catch([]),
  form2: z.array(BuhLineSchema).catch([]),
});
const FocusBuhSchema = z.object({ ogrn: z.string().optional().catch(undefined), buhForms: z.array(BuhFormSchema).catch([]) });

export type FocusLicence = z.output<typeof FocusLicenceSchema>;
export type FocusBuhForm = z.output<typeof BuhFormSchema>;

/** A founder as the excerpt names it: a person's full name or an organisation's name, and the share. */
export interface FounderFacts {
  name: string;
  /** Nominal value of the share, roubles. */
  sum: number | undefined;
  percent: number | undefined;
  /** An organisation founder's registration, when the registry has one. */
  company?: { ogrn: string; inn: string | undefined };
}

/** The company an INN or OGRN names, as Kontur.Focus describes it; undefined = unknown (422 NO_DATA). */
export interface CompanyFacts {
  req: FocusReqRecord;
  analytics: FocusAnalyticsValues;
  activities: Array<{ code: string; name: string | undefined; isMain: boolean }>;
  founders: FounderFacts[];
  licences: FocusLicence[];
  /** Annual statements, oldest first. */
  statements: FocusBuhForm[];
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
  const ul = details?.UL;
  const share = (value: { sum?: number | undefined; percentagePlain?: number | undefined } | undefined) => ({
    sum: value?.sum,
    percent: value?.percentagePlain,
  });
  const founders: FounderFacts[] = [
    ...(ul?.foundersFL ?? []).filter((f) => f.fio).map((f) => ({ name: f.fio!, ...share(f.share) })),
    ...(ul?.foundersUL ?? [])
      .filter((f) => f.fullName)
      .map((f) => ({ name: f.fullName!, ...share(f.share), ...(f.ogrn ? { company: { ogrn: f.ogrn, inn: f.inn } } : {}) })),
    ...(ul?.foundersForeign ?? []).filter((f) => f.fullName).map((f) => ({ name: f.fullName!, ...share(f.share) })),
  ];
  const licences = own(focusRecords('licences', req.ogrn).map((record) => FocusLicencesSchema.parse(record)))?.licenses ?? [];
  const statements = [...(own(focusRecords('buh', req.ogrn).map((record) => FocusBuhSchema.parse(record)))?.buhForms ?? [])].sort(
    (a, b) => a.year - b.year,
  );
  return {
    req,
    analytics,
    activities: list.filter((a) => a.code !== undefined).map((a) => ({ code: a.code!, name: a.text, isMain: a.isMain })),
    founders,
    licences,
    statements,
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

// ─── Founders, related companies, licences ──────────────────────────────────────────────────────

/** The synthetic registry's "today" (the Kontur.Focus emulator's DATA_DATE): answers never depend on the clock. */
const AS_OF = '2025-04-01';

function foundersOf(facts: CompanyFacts): Json[] {
  return facts.founders.map((founder) => ({
    name: founder.name,
    nominalCostAmount: founder.sum ?? null,
    sharePercent: founder.percent ?? null,
  }));
}

interface Related {
  preview: Json[];
  summary: { total: number; relatedByFounder: number; relatedByConfidant: number };
}

/** The founding organisations, then, for about a quarter of organisations, 1–5 companies sharing the head. */
function relatedOf(facts: CompanyFacts): Related {
  const inn = facts.req.inn!;
  const named = (company: CompanyFacts) => company.req.UL?.legalName?.short ?? company.req.IP?.fio ?? null;
  const byFounder = facts.founders.flatMap((founder) => {
    if (!founder.company) return [];
    const known = companyFacts(founder.company.inn ?? founder.company.ogrn);
    return [{ name: known ? named(known) : founder.name, ogrn: founder.company.ogrn, inn: founder.company.inn ?? null }];
  });
  const byHead: Json[] = [];
  const rng = rngFor(inn, 'tbank/related');
  if (facts.req.UL && rng.chance(0.25)) {
    const wanted = rng.int(1, 5);
    for (let attempt = 0; attempt < wanted * 3 && byHead.length < wanted; attempt++) {
      const prefix = inn.slice(0, 2) + rng.digits(7);
      const other = prefix + innCheckDigits(prefix);
      const company = other === inn ? undefined : companyFacts(other);
      if (company?.req.ogrn && !byHead.some((entry) => entry.ogrn === company.req.ogrn))
        byHead.push({ name: named(company), ogrn: company.req.ogrn, inn: other });
    }
  }
  const all = [...byFounder, ...byHead];
  return {
    preview: all.slice(0, 4),
    summary: { total: all.length, relatedByFounder: byFounder.length, relatedByConfidant: byHead.length },
  };
}

function licenceStatus(description: string | undefined): 'active' | 'inactive' | 'unknown' {
  if (description === undefined) return 'unknown';
  return /^действующ/i.test(description) ? 'active' : 'inactive';
}

function licencesOf(facts: CompanyFacts): { preview: Json[]; summary: { total: number; active: number; inactive: number } } {
  const all = facts.licences.map((licence) => ({
    no: licence.officialNum?.replace(/^№\s*/, '') ?? null,
    authorityName: (licence.issuerName ?? licence.source)?.toUpperCase() ?? null,
    date: licence.date ?? licence.dateStart ?? null,
    startDate: licence.dateStart ?? null,
    ...(licence.dateEnd ? { endDate: licence.dateEnd } : {}),
    address: licence.addresses ?? [],
    activity: (licence.activity ? [licence.activity] : (licence.services ?? [])).map((activity) => activity.toUpperCase()),
    status: licenceStatus(licence.statusDescription),
  }));
  return {
    preview: all.slice(0, 3),
    summary: {
      total: all.length,
      active: all.filter((licence) => licence.status === 'active').length,
      inactive: all.filter((licence) => licence.status === 'inactive').length,
    },
  };
}

// ─── Finance ────────────────────────────────────────────────────────────────────────────────────

const lineValue = (form: FocusBuhForm, code: number): number | undefined =>
  [...form.form1, ...form.form2].find((line) => line.code === code)?.endValue;

/** SPARK's `finance` block: a period per year, every non-zero line with its form and section. */
function sparkFinance(statements: readonly FocusBuhForm[]): Json | undefined {
  if (statements.length === 0) return undefined;
  return {
    balanceType: 1,
    periods: statements.map((form) => {
      const lines = [
        ...form.form1.map((line) => ({ ...line, form: 'Баланс', section: line.code < 1300 || line.code === 1600 ? 'Актив' : 'Пассив' })),
        ...form.form2.map((line) => ({ ...line, form: 'Отчет о финансовых результатах', section: null })),
      ].filter((line) => line.endValue !== 0);
      return {
        periodName: String(form.year),
        dateBegin: sdate(`${form.year}-01-01`),
        dateEnd: sdate(`${form.year}-12-31`),
        data: lines.map((line, index) => ({
          form: line.form,
          section: line.section,
          name: line.name,
          code: String(line.code),
          value: String(line.endValue),
          id: index + 1,
        })),
      };
    }),
  };
}

const INDICATORS = [
  ['revenue', 'Выручка', 2110],
  ['profit', 'Прибыль', 2400],
  ['accountsPayable', 'Кредиторский долг', 1520],
  ['accountsReceivable', 'Дебиторский долг', 1230],
] as const;

/** financialStatementsResponse: the four indicators over the last five years (a diff where the year before is listed). */
function financialStatementsResponse(facts: CompanyFacts): Json {
  if (!facts.req.UL) return { reason: { reasonCode: 'isEntrepreneur', reasonText: 'Индивидуальный предприниматель' } };
  const years = facts.statements.slice(-5);
  if (years.length === 0) {
    const young = (facts.req.UL.registrationDate ?? '0000') > addDays(AS_OF, -365);
    return {
      reason: young
        ? { reasonCode: 'lessThanYear', reasonText: 'Компании меньше года' }
        : { reasonCode: 'noData', reasonText: 'Нет данных о финансовой отчетности' },
    };
  }
  const data: Json = { year: years.at(-1)!.year };
  for (const [key, name, code] of INDICATORS) {
    const values = years.map((form, index) => {
      const value = lineValue(form, code) ?? null;
      const previous = index > 0 ? (lineValue(years[index - 1]!, code) ?? null) : null;
      return { year: form.year, value, ...(value !== null && previous !== null ? { valueDiff: value - previous } : {}) };
    });
    const latest = values.at(-1)!;
    data[key] = { name, value: latest.value, valueDiff: latest.valueDiff ?? null, values };
  }
  return { financialStatementsData: data };
}

// ─── Tax debt and T-Bank's risk level ───────────────────────────────────────────────────────────

function taxDebtCheck(inn: string, listed: boolean): { value: { sum: number; statDate: string } | null; color: string } {
  const rng = rngFor(inn, 'tbank/taxDebt');
  const sum = listed ? rng.money(1_001, 2_000_000) : rng.chance(0.08) ? rng.money(10, 999) : 0;
  if (sum === 0) return { value: null, color: 'green' };
  const statDate = addDays('2025-03-31', -rng.int(0, 89));
  return { value: { sum, statDate }, color: sum >= 100_000 ? 'red' : sum > 1_000 ? 'yellow' : 'green' };
}

/** The emulator's own risk-level scale (T-Bank documents none): 3 red, 2 yellow, 1 green, from the other checks. */
function riskLevelCheck(colours: readonly string[]): { value: number; color: string } {
  const red = colours.filter((colour) => colour === 'red').length;
  const yellow = colours.filter((colour) => colour === 'yellow').length;
  if (red >= 2) return { value: 3, color: 'red' };
  if (red === 1 || yellow >= 3) return { value: 2, color: 'yellow' };
  return { value: 1, color: 'green' };
}

// ─── The excerpt ────────────────────────────────────────────────────────────────────────────────

function companyCard(
  facts: CompanyFacts,
  statusType: StatusType,
  legalAddress: string | undefined,
  contracts: number,
  extraPages: { licences: boolean; related: boolean } = { licences: false, related: false },
): Json {
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
      ...(extraPages.licences ? [{ page: 'license' }] : []),
      { page: 'history' },
      { page: 'trafficLight' },
      ...(extraPages.related ? [{ page: 'relatedCompanies' }] : []),
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

  const finance = isCompany ? sparkFinance(facts.statements) : undefined;
  const statementYears = facts.statements.map((form) => form.year);
  const related = relatedOf(facts);
  const licences = licencesOf(facts);
  const taxDebt = taxDebtCheck(inn, negativeKeyList.includes('taxDebt'));
  const latestStatements = statementYears.at(-1);

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
    financeYears: statementYears.length > 0 ? { minYear: statementYears[0], maxYear: latestStatements } : undefined,
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
  const checkResult: Record<string, { value: unknown; color: string }> = {
    status: { value: part.status?.statusString ?? spark.type, color: operating ? 'green' : 'red' },
    registrationDate: {
      value: part.registrationDate ?? null,
      color: (part.registrationDate ?? '9999') < '2022-04-01' ? 'green' : 'yellow',
    },
    legalForm: { value: req.UL?.opf ?? 'Индивидуальные предприниматели', color: 'green' },
    okvedCount: { value: okved.length, color: 'none' },
    licensedOkvedCount: { value: 0, color: 'none' },
  };
  const colours = trafficLight(
    {
      statusType,
      operating,
      proceedings: activeProceedings,
      sameAddressCount,
      negative: negative.length,
      bankrupt,
      managerCount,
      taxDebt,
      finance: finance ?? null,
      financeColor: !isCompany ? 'none' : latestStatements === undefined ? 'yellow' : latestStatements >= 2023 ? 'green' : 'yellow',
    },
    checkResult,
  );
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
          ...(finance ? { finance } : {}),
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
    companyCard: companyCard(facts, statusType, legalAddress, contracts, {
      licences: licences.summary.total > 0,
      related: related.summary.total > 0,
    }),
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
      licenseSummary: licences.summary,
      trafficLightColors: colours.counts,
      innerCheckResult: colours.inner,
      checkResult: colours.check,
      relationSummary: related.summary,
      relatedCompanies: related.preview,
      leaders,
      founders: foundersOf(facts),
      history: [],
      licenses: licences.preview,
      contracts: contractPreview,
      financialStatementsResponse: financialStatementsResponse(facts),
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
  taxDebt: { value: unknown; color: string };
  finance: Json | null;
  financeColor: string;
}

type Check = { value: unknown; color: string };

/**
 * innerCheckResult, checkResult with T-Bank's risk level judged from every other check, and trafficLightColors
 * counting the colours of all of them: the counts equal the checks by construction.
 */
function trafficLight(input: LightInputs, checkResult: Record<string, Check>) {
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
    finance: { value: input.finance, color: input.financeColor },
    taxDebt: input.taxDebt,
  };
  const others = [...Object.values(checkResult), ...Object.values(inner)].map((check) => check.color);
  const check = { ...checkResult, riskLevel: riskLevelCheck(others) };
  const colours = [...Object.values(check), ...Object.values(inner)].map((item) => item.color);
  return {
    inner,
    check,
    counts: {
      redCount: colours.filter((c) => c === 'red').length,
      yellowCount: colours.filter((c) => c === 'yellow').length,
      greenCount: colours.filter((c) => c === 'green').length,
    },
  };
}
