import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../common/context.ts';
import { childFieldNames } from '../../common/siblings.ts';
import { pickCurrent, recordForRegistration, type CompanyRecord, type RequisitesEntry } from '../../domain/company.ts';
import type { FocusBatchMethod, FocusLoader, FocusStoredOf } from '../kontur-focus/index.ts';
import type { CompanyRef } from './model.ts';

/** Company fields that read the status-fresh requisites entry (CACHE_TTL_STATUS). */
export const STATUS_FIELDS: ReadonlySet<string> = new Set(['status', 'dissolutionDate', 'registrations']);

/**
 * The Company a requisites entry answers with, or null when the registry does not know the INN. `statusFresh`: the
 * entry came through the status-fresh loader.
 */
export function companyFromEntry(inn: string, entry: RequisitesEntry, statusFresh = false): CompanyRef | null {
  const current = pickCurrent(entry.registrations);
  if (!current) return null;
  return statusFresh ? { inn, ogrn: current.ogrn, record: current, statusFresh } : { inn, ogrn: current.ogrn, record: current };
}

/**
 * Resolves an INN to its Company through the requisites loader (one batched call per 100 INNs) — the status-fresh one
 * when `forStatus` (see `selectsStatus`), so that every field of the answer reads the same entry.
 */
export async function loadCompany(inn: string, ctx: GraphQLContext, { forStatus = false } = {}): Promise<CompanyRef | null> {
  const [company] = await loadCompanies([inn], ctx, { forStatus });
  if (company instanceof Error) throw company;
  return company!;
}

/**
 * The same for several INNs, each its Company, null, or the error that kept it away. When the status-fresh refetch
 * fails (deadline, shed queue, vendor down without a stale entry), the company still answers from the requisites
 * entry; its status fields then load, and fail, on their own — as they did before the root chose the loader.
 */
export async function loadCompanies(
  inns: readonly string[],
  ctx: GraphQLContext,
  { forStatus = false } = {},
): Promise<Array<CompanyRef | null | Error>> {
  const entries = await (forStatus ? ctx.requisites.reqForStatus : ctx.requisites.req).loadMany(inns);
  const failed = forStatus ? inns.filter((_, index) => entries[index] instanceof Error) : [];
  const fallback = failed.length > 0 ? await ctx.requisites.req.loadMany(failed) : [];
  return inns.map((inn, index) => {
    const entry = entries[index]!;
    if (!(entry instanceof Error)) return companyFromEntry(inn, entry, forStatus);
    const plain = fallback[failed.indexOf(inn)];
    return plain === undefined || plain instanceof Error ? entry : companyFromEntry(inn, plain, false);
  });
}

/** Whether the Company (or list of them) the resolving field answers selects a status field. */
export function selectsStatus(info: GraphQLResolveInfo): boolean {
  return childFieldNames(info).some((name) => STATUS_FIELDS.has(name));
}

/** This Company's registration, from data young enough for status fields when `forStatus`. */
export function registrationOf(
  company: CompanyRef,
  ctx: GraphQLContext,
  { forStatus = false } = {},
): CompanyRecord | undefined | Promise<CompanyRecord | undefined> {
  if (company.record && (!forStatus || company.statusFresh)) return company.record;
  return loadRegistration(company, ctx, forStatus);
}

async function loadRegistration(company: CompanyRef, ctx: GraphQLContext, forStatus: boolean): Promise<CompanyRecord | undefined> {
  const entry = await (forStatus ? ctx.requisites.reqForStatus : ctx.requisites.req).load(company.inn);
  return recordForRegistration(entry.registrations, company.ogrn);
}

/** This Company's record from one Kontur.Focus method, matched to its registration by OGRN. */
export async function recordOf<M extends FocusBatchMethod>(
  company: CompanyRef,
  loader: FocusLoader<M>,
): Promise<FocusStoredOf<M> | undefined> {
  const entry = await loader.load(company.inn);
  return recordForRegistration(entry.value, company.ogrn);
}
