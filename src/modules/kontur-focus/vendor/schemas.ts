import { z } from 'zod';

/**
 * Zod schemas for the Kontur.Focus methods the graph reads (req, egrDetails, analytics, licences, buh).
 *
 * The vendor sends sparse JSON: any field may be missing, flags are sent only when true, empty lists come
 * as [] or not at all, and "" appears where nothing is known. So every field is optional, a missing flag
 * parses as false, a missing list as [], "" as undefined, and codes stay strings even if sent as numbers.
 * Unknown fields are dropped (tolerated, and not kept in the cache). A leaf value of an unexpected type
 * (a flag sent as 1, a year as "2018") is read as unknown rather than failing the whole batch of 100 companies.
 */

/*
 * Leaves are single transforms (z.transform, made optional), not `z.string().optional().catch().transform()`
 * chains: zod runs such a chain as a pipe of four nodes with a result object each, and over ~100 leaves per record
 * that was most of the cold path's CPU (57 µs of zod per `req` record against 6 µs now; bench/performance.ts).
 * Same readings: a value of another type is unknown, "" is unknown, a missing list is [].
 */

/** A free-text value; "" (or anything not a string) means "not known". */
const text = z.transform((value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : undefined)).optional();

/** A code or identifier: always a string, leading zeros kept; a number is turned into its digits. */
const code = z
  .transform((value: unknown) => (typeof value === 'string' ? value || undefined : typeof value === 'number' ? String(value) : undefined))
  .optional();

/** Sent only when true; 1 and "true" read as true too. */
const flag = z.transform((value: unknown) => value === true || value === 'true' || value === 1);
const amount = z.coerce.number().optional().catch(undefined);
const integer = z.coerce.number().int().optional().catch(undefined);
/** A list; missing, or not a list, or holding an item that is not even an object, reads as []. */
const list = <T extends z.ZodType>(item: T) => z.array(item).catch(() => []);
const textList = list(z.string()).transform((values) => values.filter((value) => value.trim() !== ''));

const identity = {
  inn: code,
  ogrn: code,
  focusHref: text,
};

export const ToponymSchema = z.object({
  topoShortName: text,
  topoFullName: text,
  topoValue: text,
});

export const ParsedAddressSchema = z.object({
  zipCode: code,
  kladrCode: code,
  regionCode: code,
  regionName: ToponymSchema.optional(),
  district: ToponymSchema.optional(),
  city: ToponymSchema.optional(),
  settlement: ToponymSchema.optional(),
  street: ToponymSchema.optional(),
  house: ToponymSchema.optional(),
  bulk: ToponymSchema.optional(),
  flat: ToponymSchema.optional(),
  houseRaw: text,
  bulkRaw: text,
  flatRaw: text,
  oneLineFormatOfAddress: text,
});

/** `isInaccuracy`: the registry's own "unreliable data" mark; `inaccuracyDate`, when the vendor sends it, its date. */
const inaccuracy = { isInaccuracy: flag, inaccuracyDate: text };

const LegalAddressSchema = z.object({
  parsedAddressRF: ParsedAddressSchema.optional(),
  date: text,
  firstDate: text,
  ...inaccuracy,
});

export const BranchSchema = z.object({
  name: text,
  kpp: code,
  parsedAddressRF: ParsedAddressSchema.optional(),
  foreignAddress: z.object({ countryName: text, addressString: text }).optional(),
  date: text,
});

export const HeadSchema = z.object({
  fio: text,
  innfl: code,
  position: text,
  date: text,
  firstDate: text,
  ...inaccuracy,
});

export const StatusSchema = z.object({
  statusString: text,
  reorganizing: flag,
  dissolving: flag,
  bankrupting: flag,
  dissolved: flag,
  date: text,
});

export const ManagementCompanySchema = z.object({
  name: text,
  inn: code,
  ogrn: code,
  date: text,
});

const statisticsCodes = {
  okpo: code,
  okato: code,
  okfs: code,
  oktmo: code,
  okogu: code,
  okopf: code,
  opf: text,
};

export const ReqULSchema = z.object({
  kpp: code,
  ...statisticsCodes,
  legalName: z.object({ short: text, full: text, readable: text, date: text }).optional(),
  legalAddress: LegalAddressSchema.optional(),
  branches: list(BranchSchema),
  status: StatusSchema.optional(),
  registrationDate: text,
  dissolutionDate: text,
  heads: list(HeadSchema),
  managementCompanies: list(ManagementCompanySchema),
  /** Former values, as the registry recorded them (`{}` when none). */
  history: z
    .object({
      kpps: list(z.object({ kpp: code, date: text })),
      legalNames: list(z.object({ short: text, full: text, readable: text, date: text })),
      legalAddresses: list(LegalAddressSchema),
      heads: list(HeadSchema),
    })
    .optional(),
});

export const ReqIPSchema = z.object({
  fio: text,
  ...statisticsCodes,
  registrationDate: text,
  dissolutionDate: text,
  status: StatusSchema.optional(),
  fioDate: text,
  /** Former names of the entrepreneur (newer answers). */
  historyIP: z.object({ fios: list(z.object({ fio: text, date: text })) }).optional(),
});

export const BriefReportSummarySchema = z.object({
  greenStatements: flag,
  yellowStatements: flag,
  redStatements: flag,
});

export const ReqRecordSchema = z.object({
  ...identity,
  UL: ReqULSchema.optional(),
  IP: ReqIPSchema.optional(),
  briefReport: z.object({ summary: BriefReportSummarySchema.optional() }).optional(),
  contactPhones: z.object({ count: integer }).optional(),
  contactEmails: z.object({ count: integer }).optional(),
});

export const ActivitySchema = z.object({ code: code, text: text, date: text });

const ActivitiesSchema = z.object({
  principalActivity: ActivitySchema.optional(),
  complementaryActivities: list(ActivitySchema),
  okvedVersion: code,
});

export const RegBodySchema = z.object({
  nalogCode: code,
  nalogName: text,
  nalogRegDate: text,
  kpp: code,
  date: text,
});

const RegInfoSchema = z.object({ ogrnDate: text, regName: text, regNum: code });

export const ShareSchema = z.object({
  sum: amount,
  percentagePlain: amount,
  percentageNominator: amount,
  percentageDenominator: amount,
});

const founderBase = { share: ShareSchema.optional(), date: text, firstDate: text };
export const FounderFLSchema = z.object({ ...founderBase, fio: text, innfl: code });
export const FounderULSchema = z.object({ ...founderBase, ogrn: code, inn: code, fullName: text });
export const FounderForeignSchema = z.object({ ...founderBase, fullName: text, country: text });

export const SuccessorSchema = z.object({ name: text, inn: code, ogrn: code, date: text });

const fundNumbers = { pfrRegNumber: code, fssRegNumber: code, fomsRegNumber: code };

export const EgrULSchema = z.object({
  okpo: code,
  ...fundNumbers,
  activities: ActivitiesSchema.optional(),
  regInfo: RegInfoSchema.optional(),
  nalogRegBody: RegBodySchema.optional(),
  regBody: RegBodySchema.optional(),
  statedCapital: z.object({ sum: amount, date: text }).optional(),
  foundersFL: list(FounderFLSchema),
  foundersUL: list(FounderULSchema),
  foundersForeign: list(FounderForeignSchema),
  predecessors: list(SuccessorSchema),
  successors: list(SuccessorSchema),
  /** Former founders and stated capitals (`{}` when none; always an object once parsed, so a stored record shows it kept them). */
  history: z
    .object({
      statedCapitals: list(z.object({ sum: amount, date: text })),
      foundersFL: list(FounderFLSchema),
      foundersUL: list(FounderULSchema),
      foundersForeign: list(FounderForeignSchema),
    })
    .optional()
    .transform((history) => history ?? { statedCapitals: [], foundersFL: [], foundersUL: [], foundersForeign: [] }),
});

export const EgrIPSchema = z.object({
  okpo: code,
  okato: code,
  ...fundNumbers,
  shortenedAddress: z
    .object({
      regionCode: code,
      regionName: ToponymSchema.optional(),
      district: ToponymSchema.optional(),
      city: ToponymSchema.optional(),
      settlement: ToponymSchema.optional(),
    })
    .optional(),
  activities: ActivitiesSchema.optional(),
  regInfo: RegInfoSchema.optional(),
  nalogRegBody: RegBodySchema.optional(),
  regBody: RegBodySchema.optional(),
});

export const EgrDetailsRecordSchema = z.object({
  ...identity,
  UL: EgrULSchema.optional(),
  IP: EgrIPSchema.optional(),
});

/** Analytics keys are open-ended (new codes appear), so the payload is kept as a map. */
export const AnalyticsValuesSchema = z
  .record(z.string(), z.union([z.boolean(), z.number(), z.string()]))
  .optional()
  .transform((value) => value ?? {});

export const AnalyticsRecordSchema = z.object({
  ...identity,
  analytics: AnalyticsValuesSchema,
});

export const LicenceSchema = z.object({
  source: text,
  officialNum: text,
  issuerName: text,
  date: text,
  dateStart: text,
  dateEnd: text,
  statusDescription: text,
  activity: text,
  services: textList,
  addresses: textList,
});

export const LicencesRecordSchema = z.object({
  ...identity,
  // The path is /licences but the payload key is spelt "licenses".
  licenses: list(LicenceSchema),
});

export const BuhLineSchema = z.object({
  code: code,
  name: text,
  startValue: amount,
  endValue: amount,
});

export const BuhFormSchema = z.object({
  year: integer,
  organizationType: text,
  form1: list(BuhLineSchema),
  form2: list(BuhLineSchema),
  form3: list(BuhLineSchema),
  form4: list(BuhLineSchema),
  form6: list(BuhLineSchema),
});

export const BuhRecordSchema = z.object({
  ...identity,
  buhForms: list(BuhFormSchema),
});

export const ContactsRecordSchema = z.object({
  ...identity,
  contactPhones: z.object({ count: integer, phones: textList }).optional(),
});

export const BriefReportRecordSchema = z.object({
  ...identity,
  // href is a one-time personal link: fetched on demand, never cached.
  briefReport: z.object({ summary: BriefReportSummarySchema.optional(), href: text }).optional(),
});

// --- paged methods: one identifier per call, up to 1000 items per page (skip = 0, 1000, 2000 …)

export const FsspItemSchema = z.object({
  officialNum: text,
  officialAggregatedNum: text,
  startDate: text,
  sum: amount,
  topic: text,
  executoryDocument: text,
  executoryDocumentNumber: text,
  executoryDocumentDate: text,
  debtorName: text,
  debtorAddress: text,
  bailiffDepartment: text,
  bailiffDepartmentAddress: text,
  returnedToClaimer: flag,
  // sic: the vendor's spelling
  cancelledBecauseOfBancruptcy: flag,
  cancelledBecauseOfDissolvement: flag,
  cancelDate: text,
});

export const FsspRecordSchema = z.object({
  ...identity,
  updateDate: text,
  fssp: list(FsspItemSchema),
});

export const PriceSchema = z.object({ sum: amount, currencyCode: text });

export const PurchasePartySchema = z.object({
  inn: code,
  kpp: code,
  name: text,
  isWinner: flag,
  hasContract: flag,
  isNotAdmitted: flag,
});

const ClassifierCodeSchema = z.object({ code: code, name: text });

export const PurchaseObjectSchema = z.object({
  name: text,
  okdps: list(ClassifierCodeSchema),
  okpds: list(ClassifierCodeSchema),
  okpd2s: list(ClassifierCodeSchema),
  ktrus: list(ClassifierCodeSchema),
});

export const PurchaseSchema = z.object({
  purchaseType: text,
  purchaseNumber: code,
  purchaseStateDescription: text,
  selectionTypeDescription: text,
  topicDescription: text,
  publicationDate: text,
  startPrice: PriceSchema.optional().catch(undefined),
  winnerPrice: PriceSchema.optional().catch(undefined),
  customers: list(PurchasePartySchema),
  participants: list(PurchasePartySchema),
  contractNumber: code,
  contractDate: text,
  contractExecutionDate: text,
  contractPrice: PriceSchema.optional().catch(undefined),
  contractStage: text,
  contractEnforcement: text,
  contractCanceledReason: text,
  partiallyExecuted: flag,
  purchaseObjects: list(PurchaseObjectSchema),
});

export const PurchasesOfParticipantRecordSchema = z.object({ ...identity, purchasesOfParticipant: list(PurchaseSchema) });
export const PurchasesOfCustomerRecordSchema = z.object({ ...identity, purchasesOfCustomer: list(PurchaseSchema) });

export type FocusFsspItem = z.output<typeof FsspItemSchema>;
export type FocusPurchase = z.output<typeof PurchaseSchema>;
export type FocusPurchaseParty = z.output<typeof PurchasePartySchema>;
export type FocusPurchaseObject = z.output<typeof PurchaseObjectSchema>;
export type FocusPrice = z.output<typeof PriceSchema>;

// --- key usage and monitoring

export const StatSchema = z.array(
  z.object({
    methodName: text,
    limit: amount,
    spent: amount,
    limitType: text,
    periodStartDate: text,
    periodEndDate: text,
  }),
);
export type FocusStat = z.output<typeof StatSchema>[number];

/** req/mon, egrDetails/mon and monList answer pairs of identifiers. */
export const IdentifierPairsSchema = z.array(z.object({ inn: code, ogrn: code }));
export type FocusIdentifierPair = z.output<typeof IdentifierPairsSchema>[number];

export type FocusReqRecord = z.output<typeof ReqRecordSchema>;
export type FocusEgrDetailsRecord = z.output<typeof EgrDetailsRecordSchema>;
export type FocusAnalyticsRecord = z.output<typeof AnalyticsRecordSchema>;
export type FocusLicencesRecord = z.output<typeof LicencesRecordSchema>;
export type FocusBuhRecord = z.output<typeof BuhRecordSchema>;
export type FocusContactsRecord = z.output<typeof ContactsRecordSchema>;

export type FocusParsedAddress = z.output<typeof ParsedAddressSchema>;
export type FocusToponym = z.output<typeof ToponymSchema>;
export type FocusBranch = z.output<typeof BranchSchema>;
export type FocusHead = z.output<typeof HeadSchema>;
export type FocusLegalAddress = z.output<typeof LegalAddressSchema>;
export type FocusReqUL = z.output<typeof ReqULSchema>;
export type FocusReqIP = z.output<typeof ReqIPSchema>;
export type FocusStatus = z.output<typeof StatusSchema>;
export type FocusManagementCompany = z.output<typeof ManagementCompanySchema>;
export type FocusBriefReportSummary = z.output<typeof BriefReportSummarySchema>;
export type FocusActivity = z.output<typeof ActivitySchema>;
export type FocusRegBody = z.output<typeof RegBodySchema>;
export type FocusShare = z.output<typeof ShareSchema>;
export type FocusFounderFL = z.output<typeof FounderFLSchema>;
export type FocusFounderUL = z.output<typeof FounderULSchema>;
export type FocusFounderForeign = z.output<typeof FounderForeignSchema>;
export type FocusSuccessor = z.output<typeof SuccessorSchema>;
export type FocusEgrUL = z.output<typeof EgrULSchema>;
export type FocusEgrIP = z.output<typeof EgrIPSchema>;
export type FocusAnalyticsValues = z.output<typeof AnalyticsValuesSchema>;
export type FocusLicence = z.output<typeof LicenceSchema>;
export type FocusBuhForm = z.output<typeof BuhFormSchema>;
export type FocusBuhLine = z.output<typeof BuhLineSchema>;
