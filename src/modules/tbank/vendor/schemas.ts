import { z } from 'zod';

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
  activeProceedingsCount: num,
  // A single object here (an array in the parent excerpts, §8.3).
  bankruptcyMessage: optional(BankruptcyMessageSchema),
  frozenAccountDecisions: list(FrozenAccountDecisionSchema),
  arbitrationCasesInfo: optional(z.object({ year: num, count: num })),
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

export const GeneralExcerptSchema = z.object({
  requisites: optional(z.object({ legalForm: text, entityRegistrationDate: date })),
  okvedSummary: optional(z.object({ count: num, main: list(z.object({ code, description: text })) })),
  contractSummary: optional(z.object({ count: num, admittedCount: num, notAdmittedCount: num, totalValue: num })),
  trafficLightColors: optional(z.object({ redCount: num, yellowCount: num, greenCount: num })),
  innerCheckResult: checkColors,
  /** innerCheckResult.sameAddressNumber.value: companies at the same address, per T-Bank's own check. */
  sameAddressNumber: num,
  checkResult: checkColors,
  /** checkResult.legalForm.value, e.g. "Публичные акционерные общества". */
  legalFormText: text,
  leaders: list(LeaderSchema),
});

const rawGeneralExcerpt = z
  .record(z.string(), z.unknown())
  .transform((raw) => {
    const inner = raw.innerCheckResult as Record<string, { value?: unknown }> | null | undefined;
    const check = raw.checkResult as Record<string, { value?: unknown }> | null | undefined;
    return { ...raw, sameAddressNumber: inner?.sameAddressNumber?.value, legalFormText: check?.legalForm?.value } as z.input<
      typeof GeneralExcerptSchema
    >;
  })
  .pipe(GeneralExcerptSchema);

// ─── Responses ──────────────────────────────────────────────────────────────────────────────────

/** GET /api/v1/counterparty/excerpt and …/excerpt/by-inn. */
export const ExcerptResponseSchema = z.object({
  companyType: z.enum(['company', 'entrepreneur']),
  companyExcerpt: optional(CompanyExcerptSchema),
  entrepreneurExcerpt: optional(EntrepreneurExcerptSchema),
  companyCard: CompanyCardSchema,
  excerpt: optional(rawGeneralExcerpt),
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
export type TbankContract = z.output<typeof ContractSchema>;
export type TbankContractsResponse = z.output<typeof ContractsResponseSchema>;
export type TbankErrorBody = z.output<typeof ErrorBodySchema>;

/** One page of contracts as the graph keeps it: the vendor's total and this page's items. */
export interface TbankContractsPage {
  total: number;
  items: TbankContract[];
}
