import type { FocusBatchMethod } from './vendor/schemas.ts';

/**
 * Which Kontur.Focus method each Company field needs, for the cost estimate made before execution.
 * Fields not listed read the req record that every company lookup loads anyway.
 */
export const COMPANY_FIELD_METHODS: Readonly<Record<string, readonly FocusBatchMethod[]>> = {
  // A sole proprietor's region comes from egrDetails.
  region: ['req', 'egrDetails'],
  activities: ['egrDetails'],
  founders: ['egrDetails'],
  statedCapital: ['egrDetails'],
  taxAuthority: ['egrDetails'],
  registrationAuthority: ['egrDetails'],
  registrationInfo: ['egrDetails'],
  fundNumbers: ['egrDetails'],
  predecessors: ['egrDetails'],
  successors: ['egrDetails'],
  analytics: ['analytics'],
  licences: ['licences'],
  financials: ['buh'],
  contactPhones: ['contacts'],
  risk: ['req', 'analytics'],
};

/**
 * Methods that fields nested in a Company field need, by Company field and nested field. `expressReport { url }`
 * asks briefReport for one-time links (never cached): one call per 100 companies on every operation.
 * Document fields (excerpt, financialAnalysis, expressReport.pdf) cost nothing here: only following their `url`
 * downloads a PDF (one excerpt, finan or briefReport call per document, then cached).
 */
export const COMPANY_NESTED_FIELD_METHODS: Readonly<Record<string, Readonly<Record<string, readonly FocusBatchMethod[]>>>> = {
  expressReport: { url: ['briefReport'] },
};

/**
 * Company fields backed by paged methods: one vendor call per company per 1000-item page the window spans.
 * Their items may name further companies (purchase customers and participants), looked up in batches again.
 */
export const COMPANY_PAGED_FIELDS: ReadonlySet<string> = new Set(['fsspProceedings', 'purchases']);

/**
 * The per-INN cached methods: what refreshCompany refetches and the monitoring job evicts when the registry reports
 * a change. One list, so the three never drift apart.
 */
export const PER_INN_METHODS = ['req', 'egrDetails', 'analytics', 'licences', 'buh', 'contacts'] as const satisfies readonly FocusBatchMethod[];
export type PerInnMethod = (typeof PER_INN_METHODS)[number];

/** Every method refreshCompany may refetch. */
export const ALL_COMPANY_METHODS: readonly FocusBatchMethod[] = PER_INN_METHODS;
