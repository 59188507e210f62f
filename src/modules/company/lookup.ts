import type { GraphQLContext } from '../../common/context.ts';
import { pickCurrent, recordForRegistration, type CompanyRecord, type RequisitesEntry } from '../../domain/company.ts';
import type { FocusBatchMethod, FocusLoader, FocusRecordOf } from '../kontur-focus/index.ts';
import type { CompanyRef } from './model.ts';

/** The Company a requisites entry answers with, or null when the registry does not know the INN. */
export function companyFromEntry(inn: string, entry: RequisitesEntry): CompanyRef | null {
  const current = pickCurrent(entry.registrations);
  return current ? { inn, ogrn: current.ogrn } : null;
}

/** Resolves an INN to its Company through the requisites loader (one batched call per 100 INNs). */
export async function loadCompany(inn: string, ctx: GraphQLContext): Promise<CompanyRef | null> {
  return companyFromEntry(inn, await ctx.requisites.req.load(inn));
}

/** This Company's registration, from data young enough for status fields when `forStatus`. */
export async function registrationOf(
  company: CompanyRef,
  ctx: GraphQLContext,
  { forStatus = false } = {},
): Promise<CompanyRecord | undefined> {
  const entry = await (forStatus ? ctx.requisites.reqForStatus : ctx.requisites.req).load(company.inn);
  return recordForRegistration(entry.registrations, company.ogrn);
}

/** This Company's record from one Kontur.Focus method, matched to its registration by OGRN. */
export async function recordOf<M extends FocusBatchMethod>(
  company: CompanyRef,
  loader: FocusLoader<M>,
): Promise<FocusRecordOf<M> | undefined> {
  const entry = await loader.load(company.inn);
  return recordForRegistration(entry.value, company.ogrn);
}
