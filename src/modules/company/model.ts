import type { InnKind } from '../../domain/identifiers.ts';
import type { CompanyRecord, ExpressReportSummary } from '../../domain/company.ts';
import type { FocusActivity, FocusFounderFL, FocusFounderForeign, FocusFounderUL } from '../kontur-focus/index.ts';

/**
 * What a `Company` resolver receives: the key and the registration it answers with. Fields of other vendor methods
 * are loaded through the per-request loaders, so a query pays only for the vendor methods its selection needs.
 */
export interface CompanyRef {
  inn: string;
  /** OGRN of the registration this Company answers with (the current one, or the one asked for by OGRN). */
  ogrn: string | null | undefined;
  /**
   * The registration itself, when whoever found the company already held it: requisites fields answer from it at
   * once, without a loader round trip per field (the warm path's largest cost after graphql-js itself).
   */
  record?: CompanyRecord;
  /** `record` comes from the status-fresh entry (CACHE_TTL_STATUS): status fields may answer from it too. */
  statusFresh?: true;
}

/** What an `ExpressReport` resolver receives: the summary, and whose it is (for the briefReport link and PDF). */
export interface ExpressReportRef {
  inn: string;
  ogrn: string | null | undefined;
  summary: ExpressReportSummary;
}

/** What a `CompanyHistory` resolver receives: the registration's recorded history, and whose (for egrDetails). */
export interface CompanyHistoryRef {
  company: CompanyRef;
  record: CompanyRecord;
}

export interface RegistrationRef {
  record: CompanyRecord;
  isCurrent: boolean;
}

export interface ActivityRef {
  activity: FocusActivity;
  isPrincipal: boolean;
  okvedVersion: string;
}

export interface FounderRef<F> {
  founder: F;
  /** Charter capital in roubles, to compute a share's percent when the registry gives only the sum. */
  capital: number | undefined;
}

export type FounderPersonRef = FounderRef<FocusFounderFL>;
export type FounderCompanyRef = FounderRef<FocusFounderUL>;
export type FounderForeignRef = FounderRef<FocusFounderForeign>;

export type { InnKind };
