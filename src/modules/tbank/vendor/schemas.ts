import { z } from 'zod';
import { canonicalMoney } from '../../../domain/money.ts';

/**
 * Zod schemas for the T-Bank counterparty-check answers the graph reads (ExcerptResponse, ContractsResponse and the
 * error body), after shared/vendors/tbank-counterparty.md §6–§7.
 *
 * Sparse like the Kontur.Focus schemas: only the fields the graph reads are kept (unknown ones are dropped, and not
 * cached), almost every leaf is nullable in the vendor's spec, so null, "" and a leaf of an unexpected type read as
 * "unknown" (undefined) instead of failing the whole answer. Only what the spec marks required and the graph cannot
 * do without (companyType, companyCard.requisites.ogrn, a contract's contractId, a contracts page's companyCard)
 * fails validation. Whether an excerpt is the company asked for is the client's check (identity.ts).
 *
 * The general excerpt's security blocks (founders, licences, related companies, finance by year, T-Bank's tax debt
 * and risk level) are checked strictly where the reference and the OpenAPI dump agree: a key the spec marks required
 * inside an item the answer carries must have its documented type (founders[].name a string, relatedCompanies[].ogrn
 * 13–15 digits, licences[].status one of its enum and activity/address lists of strings, financialStatementsData.year
 * and every values[].year an int32, taxDebt.value.sum a number with statDate a date, riskLevel.color a colour and its
 * value an int32 or null), else the whole answer is VENDOR_BAD_RESPONSE — a risk factor must never read a malformed
 * tax debt as "none". Their nullable leaves stay lenient, and a block the answer leaves out reads as empty.
 *
 * The formats of §6 are normalised here, once, so the cache holds them normalised:
 * - dates with a zone suffix ("2023-04-24+03:00", "2021-10-26Z") and plain dates become `YYYY-MM-DD`, taken
 *   verbatim from the first 10 characters — never through `Date`, which would shift the day;
 * - money strings ("-96527133000") stay strings, digit for digit;
 * - int64 numbers stay JS numbers (GraphQL Float), the 19-digit contractId stays a string.
 */

/** A free-text value; null and "" mean "not known". */
const text = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((value) => (value == null || value.trim() === '' ? undefined : value));

const SDATE = /^(\d{4}-\d{2}-\d{2})(?:[+-]\d{2}:\d{2}|Z)?$/;

/** "YYYY-MM-DD", optionally with "+hh:mm" or "Z": the calendar date as written (a malformed one reads as unknown). */
export function normalizeVendorDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = SDATE.exec(value.trim());
  if (!match) return undefined;
  const date = match[1]!;
  // A calendar check on the date alone (UTC midnight), so "2023-02-30" is refused and no zone can move the day.
  const parsed = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === date ? date : undefined;
}

const date = z.unknown().optional().transform(normalizeVendorDate);

const MONEY = /^-?\d+(?:\.\d+)?$/;

/** A sum of money as the vendor's exact decimal string; a JSON number is accepted only when it is a safe integer. */
export function normalizeMoney(value: unknown): string | undefined {
  if (typeof value === 'string') return MONEY.test(value.trim()) ? value.trim() : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

const money = z.unknown().optional().transform(normalizeMoney);

/** A sum as the graph's Decimal serves it: two decimals, rounded half away from zero to kopecks ("554779000.00"). */
export function decimalMoney(value: unknown): string | undefined {
  // A double goes through its shortest round-trip text (3.2823479357625E10 → "32823479357.625"), never through arithmetic.
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : undefined) : normalizeMoney(value);
  return text === undefined ? undefined : canonicalMoney(text);
}

/** A nullable sum (a money string, an int64 or a double of roubles) as two-decimal text; anything else is unknown. */
const decimal = z.unknown().optional().transform(decimalMoney);

/** A calendar date the spec requires: "YYYY-MM-DD" (a zone suffix tolerated), else the answer is malformed. */
const requiredDate = z.string().transform((value, ctx) => {
  const normalized = normalizeVendorDate(value);
  if (normalized === undefined) ctx.addIssue({ code: 'custom', message: 'not a calendar date' });
  return normalized ?? '';
});

const int32 = z.number().int().min(-2_147_483_648).max(2_147_483_647);

/** A list the spec requires: absent or null reads as empty, anything but an array of valid items is malformed. */
const strictList = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);

/** A block the answer may leave out (absent or null reads as absent), checked strictly when it is there. */
const strictOptional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((value) => value ?? undefined);

/** A JSON number (int32, int64 or double); anything else is unknown. */
const num = z
  .number()
  .finite()
  .nullish()
  .catch(undefined)
  .transform((value) => value ?? undefined);
const flag = z
  .unknown()
  .optional()
  .transform((value) => value === true);
/** An identifier or code: a string (digits kept as sent). */
const code = text;

const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item)
    .nullish()
    .catch(undefined)
    .transform((value) => value ?? []);

/** A nested object the graph can live without: a malformed one reads as absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .catch(undefined)
    .transform((value) => value ?? undefined);

export const COMPANY_STATUS_TYPES = ['active', 'reorganizing', 'liquidating', 'liquidated', 'bankrupting', 'unknown'] as const;
export type TbankStatusType = (typeof COMPANY_STATUS_TYPES)[number];

export const COLORS = ['red', 'yellow', 'green', 'none'] as const;
export type TbankColor = (typeof COLORS)[number];

// ─── Shared: company card ───────────────────────────────────────────────────────────────────────

export const CompanyCardSchema = z.object({
  statusType: z.enum(COMPANY_STATUS_TYPES).catch('unknown'),
  requisites: z.object({
    ogrn: z.string().regex(/^\d{13,15}$/),
    inn: code,
    kpp: code,
    shortName: text,
    fullName: text,
    dateReg: date,
    terminationDt: date,
    ogrnAssignDate: date,
    status: text,
    authorizedCapitalAmount: num,
    legalAddress: text,
    city: text,
  }),
  pages: list(z.object({ page: text })).transform((pages) =>
    pages.map((page) => page.page).filter((page): page is string => page !== undefined),
  ),
});

// ─── Building blocks of the SPARK-derived excerpts ──────────────────────────────────────────────

export const ListMembershipSchema = z.object({ isNegative: flag, id: num, listName: text });

const SparkStatusSchema = z.object({ isActing: flag, code: num, date, text, type: text });

export const BankruptcyMessageSchema = z.object({
  messageType: text,
  date,
  decisionDate: date,
  caseNumber: text,
  caseId: num,
});

const OkvedItemSchema = z.object({ code, name: text, isMain: flag });

const sideSchema = optional(z.object({ casesNumber: num, sum: money }));

export const ArbitrationCasesSchema = z.object({
  cases: list(
    z.object({
      year: num,
      plaintiff: sideSchema,
      defendant: sideSchema,
      thirdOrOtherPerson: optional(z.object({ casesNumber: num })),
    }),
  ),
  total: num,
  considered: num,
  appealed: num,
  decisionsAndRulings: num,
  completed: num,
});

export const FrozenAccountDecisionSchema = z.object({
  // sparkId (a leaked Java BigInteger, §6) is dropped.
  reason: optional(z.object({ name: text })),
  taxAuthority: optional(z.object({ code, name: text })),
  bank: optional(z.object({ bik: code, name: text })),
  number: text,
  date,
});

const ExpressExcerptSchema = z.object({
  inn: code,
  companyWithSameInfo: optional(
    z.object({
      sameManager: optional(z.object({ manager: text, managerCountInCountry: num, managerInnCount: num })),
      sameAddress: optional(z.object({ address: text, addressCount: num })),
      samePhone: optional(z.object({ phoneCode: code, phoneNumber: code, phoneCount: num })),
    }),
  ),
  negativeLists: list(ListMembershipSchema),
  status: optional(SparkStatusSchema),
  okvedInfo: optional(z.object({ code, name: text, okvedCount: num })),
  netIncome: optional(z.object({ periodName: text, dateBegin: date, dateEnd: date, sum: money })),
  /** The years SPARK has statements for. */
  financeYears: optional(z.object({ minYear: num, maxYear: num })),
  activeProceedingsCount: num,
  // A single object here (an array in the parent excerpts, §8.3).
  bankruptcyMessage: optional(BankruptcyMessageSchema),
  frozenAccountDecisions: list(FrozenAccountDecisionSchema),
  arbitrationCasesInfo: optional(z.object({ year: num, count: num })),
});

/** SPARK's accounting statements by period (companyExcerpt.finance): every leaf nullable, lines as money strings. */
export const FinanceSchema = z.object({
  balanceType: num,
  periods: list(
    z.object({
      periodName: text,
      dateBegin: date,
      dateEnd: date,
      data: list(z.object({ form: text, section: text, name: text, code, value: decimal })),
    }),
  ),
});

const OkatoSchema = z.object({ code, regionName: text, regionCode: num });
const ProceedingsSchema = z.object({ active: num, executed: num });
const LeaderSchema = z.object({ actualDate: date, name: text, position: text });

export const CompanyExcerptSchema = z.object({
  shortName: text,
  shortNameRus: text,
  fullNameRus: text,
  inn: code,
  ogrn: code,
  kpp: code,
  okpo: code,
  dateFirstReg: date,
  okato: optional(OkatoSchema),
  status: optional(SparkStatusSchema),
  leaders: list(LeaderSchema),
  finance: optional(FinanceSchema),
  proceedings: optional(ProceedingsSchema),
  charterCapital: optional(z.object({ value: money, date })),
  companyWithSameInfo: optional(
    z.object({ addressCount: num, managerCountInCountry: num, managerInnCount: num, telephoneCount: optional(z.object({ value: num })) }),
  ),
  arbitrationCases: optional(ArbitrationCasesSchema),
  okved: list(OkvedItemSchema),
  address: list(z.object({ postCode: code, address: text, streetName: text, buildingNumber: text, fiasRegion: code, actualDate: date })),
  includeInList: list(ListMembershipSchema),
  bankruptcyMessage: list(BankruptcyMessageSchema),
  expressExcerpt: optional(ExpressExcerptSchema),
});

export const EntrepreneurExcerptSchema = z.object({
  inn: code,
  ogrnip: code,
  okpo: code,
  fullNameRus: text,
  dateReg: date,
  okato: optional(OkatoSchema),
  okopf: optional(z.object({ code, name: text })),
  status: optional(SparkStatusSchema),
  includeInList: list(ListMembershipSchema),
  okved: list(OkvedItemSchema),
  arbitrationCases: optional(ArbitrationCasesSchema),
  executionProceedings: optional(ProceedingsSchema),
  bankruptcyMessage: list(BankruptcyMessageSchema),
  expressExcerpt: optional(ExpressExcerptSchema),
});

// ─── The general "excerpt" block (T-Bank's own check results) ───────────────────────────────────

/** Every check of checkResult / innerCheckResult that carries a traffic-light colour, in the vendor's order. */
const checkColors = z
  .record(z.string(), z.unknown())
  .nullish()
  .catch(undefined)
  .transform((checks) =>
    Object.entries(checks ?? {}).flatMap(([check, value]) => {
      const colour = (value as { color?: unknown } | null)?.color;
      return typeof colour === 'string' && (COLORS as readonly string[]).includes(colour) ? [{ check, color: colour as TbankColor }] : [];
    }),
  );

/** T-Bank's colour of a check: one of the four (required wherever the spec has a coloured value). */
const color = z.enum(COLORS);

/** innerCheckResult.taxDebt: the debt (sum in roubles, a double; statDate) and T-Bank's colour for it. */
export const TaxDebtSchema = z.object({
  value: strictOptional(
    z.object({ sum: z.number().finite(), statDate: requiredDate }).transform(({ sum, statDate }, ctx) => {
      const amount = decimalMoney(sum);
      if (amount === undefined) ctx.addIssue({ code: 'custom', message: 'not a sum of money' });
      return { amount: amount ?? '0.00', date: statDate };
    }),
  ),
  color,
});

/** checkResult.riskLevel: an int32 on a scale T-Bank does not document, and its colour (the vendor's own judgement). */
export const RiskLevelSchema = z.object({
  value: int32.nullish().transform((value) => value ?? undefined),
  color,
});

export const FounderSchema = z.object({ name: z.string(), nominalCostAmount: decimal, sharePercent: num });

const INN = /^(\d{12}|\d{10})$/;
export const RelatedCompanySchema = z.object({
  name: text,
  ogrn: z.string().regex(/^\d{13,15}$/),
  inn: z
    .string()
    .regex(INN)
    .nullish()
    .catch(undefined)
    .transform((value) => value ?? undefined),
});

export const LICENCE_STATUSES = ['active', 'inactive', 'unknown'] as const;

export const LicenceSchema = z.object({
  /** The licence number (the key is `"no"`: YAML 1.1 would read it as false, §8.5). */
  no: text,
  authorityName: text,
  date,
  startDate: date,
  /** Placement inferred by the reference (absent from the vendor's example). */
  endDate: date,
  address: z.array(z.string()),
  activity: z.array(z.string()),
  status: z.enum(LICENCE_STATUSES),
});

/** One indicator of financialStatementsData: its latest value and up to five years (int64 roubles). */
const FinIndicatorSchema = z.object({
  name: z.string(),
  value: decimal,
  valueDiff: decimal,
  values: z.array(z.object({ year: int32, value: decimal, valueDiff: decimal })),
});

export const FINANCE_REASON_CODES = ['isEntrepreneur', 'lessThanYear', 'noData'] as const;

export const FinancialStatementsSchema = z.object({
  /** Why statements are missing; may accompany data (§8.4). */
  reason: strictOptional(z.object({ reasonCode: z.enum(FINANCE_REASON_CODES), reasonText: z.string() })),
  financialStatementsData: strictOptional(
    z.object({
      year: int32,
      revenue: FinIndicatorSchema,
      profit: FinIndicatorSchema,
      accountsPayable: FinIndicatorSchema,
      accountsReceivable: FinIndicatorSchema,
    }),
  ),
});

export const GeneralExcerptSchema = z.object({
  requisites: optional(z.object({ legalForm: text, entityRegistrationDate: date })),
  okvedSummary: optional(z.object({ count: num, main: list(z.object({ code, description: text })) })),
  contractSummary: optional(z.object({ count: num, admittedCount: num, notAdmittedCount: num, totalValue: num })),
  licenseSummary: optional(z.object({ total: num, active: num, inactive: num })),
  trafficLightColors: optional(z.object({ redCount: num, yellowCount: num, greenCount: num })),
  innerCheckResult: checkColors,
  /** innerCheckResult.sameAddressNumber.value: companies at the same address, per T-Bank's own check. */
  sameAddressNumber: num,
  /** innerCheckResult.taxDebt. */
  taxDebt: strictOptional(TaxDebtSchema),
  checkResult: checkColors,
  /** checkResult.legalForm.value, e.g. "Публичные акционерные общества". */
  legalFormText: text,
  /** checkResult.riskLevel. */
  riskLevel: strictOptional(RiskLevelSchema),
  relationSummary: optional(z.object({ total: num, relatedByFounder: num, relatedByConfidant: num })),
  /** A preview: at most 4 in the spec. */
  relatedCompanies: strictList(RelatedCompanySchema),
  leaders: list(LeaderSchema),
  founders: strictList(FounderSchema),
  /** A preview: at most 3 in the spec (licenseSummary counts them all). */
  licenses: strictList(LicenceSchema),
  financialStatementsResponse: strictOptional(FinancialStatementsSchema),
});

/** A check's object within checkResult / innerCheckResult, when those are objects. */
const checkOf = (block: unknown, name: string): unknown =>
  block !== null && typeof block === 'object' && !Array.isArray(block) ? (block as Record<string, unknown>)[name] : undefined;
const valueOf = (check: unknown): unknown =>
  check !== null && typeof check === 'object' ? (check as { value?: unknown }).value : undefined;

const rawGeneralExcerpt = z
  .record(z.string(), z.unknown())
  .transform(
    (raw) =>
      ({
        ...raw,
        sameAddressNumber: valueOf(checkOf(raw.innerCheckResult, 'sameAddressNumber')),
        taxDebt: checkOf(raw.innerCheckResult, 'taxDebt'),
        legalFormText: valueOf(checkOf(raw.checkResult, 'legalForm')),
        riskLevel: checkOf(raw.checkResult, 'riskLevel'),
      }) as z.input<typeof GeneralExcerptSchema>,
  )
  .pipe(GeneralExcerptSchema);

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

/** GET /api/v1/counterparty/excerpt and …/excerpt/by-inn. */
export const ExcerptResponseSchema = z.object({
  companyType: z.enum(['company', 'entrepreneur']),
  companyExcerpt: optional(CompanyExcerptSchema),
  entrepreneurExcerpt: optional(EntrepreneurExcerptSchema),
  companyCard: CompanyCardSchema,
  // Checked, not caught: its security blocks fail the answer when malformed (see above); its other parts are lenient.
  excerpt: rawGeneralExcerpt.nullish().transform((value) => value ?? undefined),
});

export const ContractSchema = z.object({
  // 19 digits: beyond Number.MAX_SAFE_INTEGER, so it must arrive, and stay, a string.
  contractId: z.string().regex(/^\d{1,30}$/),
  counterpartyOgrn: code,
  purchaseObjectTypeName: text,
  stageCode: z
    .enum(['execution', 'completed', 'canceled', 'stopped', 'unknown'])
    .nullish()
    .catch('unknown')
    .transform((value) => value ?? 'unknown'),
  role: z
    .enum(['supplier', 'customer'])
    .nullish()
    .catch(undefined)
    .transform((value) => value ?? undefined),
  price: num,
});

/**
 * GET /api/v1/counterparty/contracts. companyCard is required (reference §7 and the OpenAPI dump): it is the only
 * statement of whose contracts these are, so the client can refuse another company's page.
 */
export const ContractsResponseSchema = z.object({
  companyCard: CompanyCardSchema,
  data: z.object({ total: z.number().int().nonnegative(), items: z.array(ContractSchema) }),
});

/** The error body, identical for every error status (§4.1). */
export const ErrorBodySchema = z.object({
  errorId: z.string().optional().catch(undefined),
  errorCode: z.string().optional().catch(undefined),
  errorMessage: z.string().optional().catch(undefined),
});

export type TbankExcerpt = z.output<typeof ExcerptResponseSchema>;
export type TbankCompanyCard = z.output<typeof CompanyCardSchema>;
export type TbankCompanyExcerpt = z.output<typeof CompanyExcerptSchema>;
export type TbankEntrepreneurExcerpt = z.output<typeof EntrepreneurExcerptSchema>;
export type TbankExpressExcerpt = z.output<typeof ExpressExcerptSchema>;
export type TbankGeneralExcerpt = z.output<typeof GeneralExcerptSchema>;
export type TbankListMembership = z.output<typeof ListMembershipSchema>;
export type TbankBankruptcyMessage = z.output<typeof BankruptcyMessageSchema>;
export type TbankArbitrationCases = z.output<typeof ArbitrationCasesSchema>;
export type TbankFrozenAccountDecision = z.output<typeof FrozenAccountDecisionSchema>;
export type TbankFinance = z.output<typeof FinanceSchema>;
export type TbankTaxDebtValue = z.output<typeof TaxDebtSchema>;
export type TbankRiskLevelValue = z.output<typeof RiskLevelSchema>;
export type TbankFounderValue = z.output<typeof FounderSchema>;
export type TbankLicenceValue = z.output<typeof LicenceSchema>;
export type TbankRelatedCompanyValue = z.output<typeof RelatedCompanySchema>;
export type TbankFinancialStatements = z.output<typeof FinancialStatementsSchema>;
export type TbankContract = z.output<typeof ContractSchema>;
export type TbankContractsResponse = z.output<typeof ContractsResponseSchema>;
export type TbankErrorBody = z.output<typeof ErrorBodySchema>;

/** One page of contracts as the graph keeps it: the vendor's total and this page's items. */
export interface TbankContractsPage {
  total: number;
  items: TbankContract[];
}
