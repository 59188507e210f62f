import type { z } from 'zod';
import {
  AnalyticsRecordSchema,
  BriefReportRecordSchema,
  BuhRecordSchema,
  ContactsRecordSchema,
  EgrDetailsRecordSchema,
  FsspRecordSchema,
  LicencesRecordSchema,
  PurchasesOfCustomerRecordSchema,
  PurchasesOfParticipantRecordSchema,
  ReqRecordSchema,
} from './schemas.ts';

/**
 * THE table of Kontur.Focus methods. It drives the client's parsing, the batchers and loaders, the cost estimate made
 * before execution, refreshCompany and the monitoring eviction (`perInn`), and the emulator's method list. Adding a
 * method to Company means: a row here, the schema, the resolver and the emulator's answer — nothing else.
 *
 * - batch: up to 100 INNs or OGRNs per call, one flat array of records back; `perInn` ones are cached per INN;
 * - paged: one INN per call, pages of 1000 items (`skip`), each registration's list under `items`;
 * - document: a PDF for one INN; usage, changes, watchlist: the key's usage and monitoring.
 * `companyFields`: the Company fields a method backs (each costs one call per 100 companies, or per company and page
 * for paged ones); `nestedFields`: fields below a Company field that call it.
 * `billing`: how /stat counts it (Requests, LegalEntities).
 */
export const FOCUS_METHODS = {
  req: {
    kind: 'batch',
    schema: ReqRecordSchema,
    perInn: true,
    billing: 'Requests',
    // Every company lookup reads req; its own fields are listed for the freshness of an answer.
    companyFields: [
      'inn',
      'kind',
      'ogrn',
      'kpp',
      'shortName',
      'fullName',
      'status',
      'legalAddress',
      'heads',
      'registrations',
      'region',
      'history',
    ],
  },
  egrDetails: {
    kind: 'batch',
    schema: EgrDetailsRecordSchema,
    perInn: true,
    billing: 'LegalEntities',
    // A sole proprietor's region comes from egrDetails.
    companyFields: [
      'region',
      'activities',
      'founders',
      'statedCapital',
      'taxAuthority',
      'registrationAuthority',
      'registrationInfo',
      'fundNumbers',
      'predecessors',
      'successors',
    ],
    // Former founders and capitals; the rest of Company.history comes with req.
    nestedFields: { history: ['founders', 'statedCapitals'] },
  },
  analytics: { kind: 'batch', schema: AnalyticsRecordSchema, perInn: true, billing: 'LegalEntities', companyFields: ['analytics'] },
  licences: { kind: 'batch', schema: LicencesRecordSchema, perInn: true, billing: 'Requests', companyFields: ['licences'] },
  buh: { kind: 'batch', schema: BuhRecordSchema, perInn: true, billing: 'Requests', companyFields: ['financials'] },
  contacts: { kind: 'batch', schema: ContactsRecordSchema, perInn: true, billing: 'Requests', companyFields: ['contactPhones'] },
  // One-time personal links: batched per request, never cached.
  briefReport: {
    kind: 'batch',
    schema: BriefReportRecordSchema,
    perInn: false,
    billing: 'LegalEntities',
    nestedFields: { expressReport: ['url'] },
  },
  fssp: { kind: 'paged', schema: FsspRecordSchema, items: 'fssp', billing: 'Requests', companyFields: ['fsspProceedings'] },
  govPurchasesOfParticipant: {
    kind: 'paged',
    schema: PurchasesOfParticipantRecordSchema,
    items: 'purchasesOfParticipant',
    billing: 'Requests',
    companyFields: ['purchases'],
  },
  govPurchasesOfCustomer: {
    kind: 'paged',
    schema: PurchasesOfCustomerRecordSchema,
    items: 'purchasesOfCustomer',
    billing: 'Requests',
    companyFields: ['purchases'],
  },
  excerpt: { kind: 'document', billing: 'Requests' },
  finan: { kind: 'document', billing: 'Requests' },
  stat: { kind: 'usage' },
  'req/mon': { kind: 'changes', billing: 'Requests' },
  'egrDetails/mon': { kind: 'changes', billing: 'Requests' },
  monList: { kind: 'watchlist', billing: 'Requests' },
} as const;

export type FocusMethodName = keyof typeof FOCUS_METHODS;
type MethodsOfKind<K extends string> = { [M in FocusMethodName]: (typeof FOCUS_METHODS)[M]['kind'] extends K ? M : never }[FocusMethodName];

export type FocusBatchMethod = MethodsOfKind<'batch'>;
/** The record a batch method answers (one per registration of the identifier). */
export type FocusRecordOf<M extends FocusBatchMethod> = z.output<(typeof FOCUS_METHODS)[M]['schema']>;
export type FocusPagedMethod = MethodsOfKind<'paged'>;
export type FocusDocumentMethod = MethodsOfKind<'document'> | 'briefReport';

/** Batch methods cached per INN (`perInn`): what refreshCompany refetches and the monitoring job evicts. */
export type PerInnMethod = { [M in FocusBatchMethod]: (typeof FOCUS_METHODS)[M] extends { perInn: true } ? M : never }[FocusBatchMethod];
export const PER_INN_METHODS = (Object.keys(FOCUS_METHODS) as FocusMethodName[]).filter(
  (name) => (FOCUS_METHODS[name] as { perInn?: boolean }).perInn === true,
) as PerInnMethod[];

export const FOCUS_BATCH_METHODS = Object.fromEntries(
  Object.entries(FOCUS_METHODS)
    .filter(([, spec]) => spec.kind === 'batch')
    .map(([name, spec]) => [name, (spec as { schema: unknown }).schema]),
) as { [M in FocusBatchMethod]: (typeof FOCUS_METHODS)[M]['schema'] };

export const FOCUS_PAGED_METHODS = Object.fromEntries(
  Object.entries(FOCUS_METHODS)
    .filter(([, spec]) => spec.kind === 'paged')
    .map(([name, spec]) => [name, spec]),
) as { [M in FocusPagedMethod]: (typeof FOCUS_METHODS)[M] };

/**
 * Company field → the batch methods it calls (from `companyFields`), for the cost estimate and an answer's freshness.
 * Paged fields are costed per page instead (PAGED_COMPANY_FIELDS).
 */
export function companyFieldMethods(): Record<string, FocusBatchMethod[]> {
  const fields: Record<string, FocusBatchMethod[]> = {};
  for (const [method, spec] of Object.entries(FOCUS_METHODS) as Array<
    [FocusMethodName, { kind: string; companyFields?: readonly string[] }]
  >) {
    if (spec.kind !== 'batch') continue;
    for (const field of spec.companyFields ?? []) (fields[field] ??= []).push(method as FocusBatchMethod);
  }
  return fields;
}

/** Company fields backed by a paged method (from `companyFields` of paged rows). */
export function pagedCompanyFields(): string[] {
  return [
    ...new Set(
      Object.values(FOCUS_METHODS).flatMap((spec) =>
        spec.kind === 'paged' ? (spec as { companyFields: readonly string[] }).companyFields : [],
      ),
    ),
  ];
}

/** Company field → nested field → the methods it calls (from `nestedFields`). */
export function nestedFieldMethods(): Record<string, Record<string, FocusMethodName[]>> {
  const fields: Record<string, Record<string, FocusMethodName[]>> = {};
  for (const [method, spec] of Object.entries(FOCUS_METHODS) as Array<
    [FocusMethodName, { nestedFields?: Readonly<Record<string, readonly string[]>> }]
  >) {
    for (const [field, nested] of Object.entries(spec.nestedFields ?? {})) {
      for (const name of nested) ((fields[field] ??= {})[name] ??= []).push(method);
    }
  }
  return fields;
}
