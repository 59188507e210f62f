import type { InnKind } from '../../domain/identifiers.ts';
import type { CompanyRecord, ExpressReportSummary } from '../../domain/company.ts';
import type { FocusActivity, FocusFounderFL, FocusFounderForeign, FocusFounderUL } from '../kontur-focus/index.ts';

/**
 * What a `Company` resolver receives: just the key and the registration it answers with. Every other field is loaded
 * through the per-request loaders, so a query pays only for the vendor methods its selection needs.
 */
export interface CompanyRef {
  inn: string;
  /** OGRN of the registration this Company answers with (the current one, or the one asked for by OGRN). */
  ogrn: string | null | undefined;
}

/** What an `ExpressReport` resolver receives: the summary, and whose it is (for the briefReport link and PDF). */
export interface ExpressReportRef {
  inn: string;
  ogrn: string | null | undefined;
  summary: ExpressReportSummary;
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
