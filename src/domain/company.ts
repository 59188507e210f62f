/**
 * A company as the graph knows it, whichever registry source answered: Kontur.Focus's `req` or T-Bank's excerpt are
 * each mapped to this shape in one place (modules/kontur-focus/req-mapping.ts, modules/tbank/requisites.ts), once per
 * fetch, and every reader — the Company resolvers, risk, the payout guard, autofill — reads only this.
 * Fields a source does not have are null (or empty lists).
 */

export type CompanyStatusCode = 'ACTIVE' | 'REORGANIZING' | 'LIQUIDATING' | 'BANKRUPT' | 'LIQUIDATED' | 'UNKNOWN';

export interface CompanyStatusModel {
  code: CompanyStatusCode;
  /** The registry's own wording. */
  text: string | null;
  date: string | null;
  isActive: boolean;
}

export interface AddressModel {
  oneLine: string | null;
  zipCode: string | null;
  regionCode: string | null;
  region: string | null;
  city: string | null;
  street: string | null;
  house: string | null;
  flat: string | null;
  /** The registry marked this address unreliable (a legal address only; "недостоверность"). */
  unreliable: boolean;
  /** When it was marked, when the source says. */
  unreliableSince: string | null;
}

export interface HeadModel {
  fio: string | null;
  innfl: string | null;
  position: string | null;
  since: string | null;
  /** The registry marked this person's record unreliable. */
  unreliable: boolean;
  unreliableSince: string | null;
}

/** When a former value held: from `since` (the registry's first record of it) until the value that replaced it. */
export interface Period {
  since: string | null;
  /** The `since` of the next value (a former one, or the current one); null when unknown. */
  until: string | null;
}

/** What the registry recorded before (from the requisites source; Kontur.Focus's `req` history). Oldest first. */
export interface CompanyHistoryModel {
  names: Array<{ shortName: string | null; fullName: string | null } & Period>;
  legalAddresses: Array<{ address: AddressModel } & Period>;
  heads: Array<HeadModel & Period>;
  kpps: Array<{ kpp: string } & Period>;
}

export const EMPTY_HISTORY: CompanyHistoryModel = { names: [], legalAddresses: [], heads: [], kpps: [] };

export interface ManagementCompanyModel {
  name: string | null;
  inn: string | null;
  ogrn: string | null;
  since: string | null;
}

export interface BranchModel {
  name: string | null;
  kpp: string | null;
  address: AddressModel | null;
  foreignAddress: string | null;
  since: string | null;
}

export interface ExpressReportSummary {
  green: boolean;
  yellow: boolean;
  red: boolean;
}

export type CompanyKind = 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR';

/** One registration of an INN (an INN may have several: a closed one and the live one). */
export interface CompanyRecord {
  inn: string;
  ogrn: string | null;
  kind: CompanyKind;
  kpp: string | null;
  shortName: string | null;
  fullName: string | null;
  opf: string | null;
  okpo: string | null;
  okato: string | null;
  oktmo: string | null;
  okfs: string | null;
  okogu: string | null;
  okopf: string | null;
  registrationDate: string | null;
  dissolutionDate: string | null;
  status: CompanyStatusModel;
  legalAddress: AddressModel | null;
  /** The region of the legal address; null for a sole proprietor (the registry publishes it elsewhere). */
  region: string | null;
  heads: HeadModel[];
  /** Former names, addresses, heads and KPPs; empty lists when the source has none (T-Bank). */
  history: CompanyHistoryModel;
  managementCompanies: ManagementCompanyModel[];
  branches: BranchModel[];
  /** Kontur.Focus's page of the company; null from other sources. */
  focusUrl: string | null;
  /** Kontur.Focus's express report summary; null from other sources or when it says nothing. */
  expressReport: ExpressReportSummary | null;
  /** Known contact phones; null when the source says nothing. */
  contactPhonesCount: number | null;
}

/** What a requisites lookup answers: every registration of the INN (none: the registry does not know it). */
export interface RequisitesEntry {
  fetchedAt: number;
  registrations: CompanyRecord[];
  /** The vendor failed and this expired entry answered instead (stale-if-error); never stored. */
  stale?: true;
  /** With `stale`: why. */
  staleBecause?: Error;
}

export const UNKNOWN_STATUS: CompanyStatusModel = { code: 'UNKNOWN', text: null, date: null, isActive: false };

/** Operating: able to sign and be paid (a reorganising company still is). */
export function isOperating(code: CompanyStatusCode): boolean {
  return code === 'ACTIVE' || code === 'REORGANIZING';
}

/** The registration a Company answers with: one not dissolved, else the latest registered. */
export function pickCurrent(records: readonly CompanyRecord[]): CompanyRecord | undefined {
  const byLatest = [...records].sort((a, b) => (b.registrationDate ?? '').localeCompare(a.registrationDate ?? ''));
  return byLatest.find((record) => record.status.code !== 'LIQUIDATED') ?? byLatest[0];
}

/**
 * The record of any method that belongs to the registration with this OGRN. Records are matched by OGRN, never by
 * position: one INN may have several registrations.
 */
export function recordForRegistration<R extends { ogrn?: string | null | undefined }>(
  records: readonly R[],
  ogrn: string | null | undefined,
): R | undefined {
  if (ogrn) return records.find((record) => record.ogrn === ogrn || record.ogrn === undefined || record.ogrn === null);
  // Another registration's data must never be shown as this one's, so without an OGRN only a sole record matches.
  return records.length === 1 ? records[0] : undefined;
}
