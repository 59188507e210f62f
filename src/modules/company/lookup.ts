import type { GraphQLContext } from '../../common/context.ts';
import type { FocusBatchMethod, FocusRecordOf } from '../kontur-focus/vendor/schemas.ts';
import type { FocusLoader } from '../kontur-focus/loaders.ts';
import type { CompanyRef } from './model.ts';
import { pickCurrent, recordForRegistration } from './registry.ts';
import type { VendorEntry } from '../kontur-focus/batcher.ts';

/** The Company a req entry answers with, or null when the registry does not know the INN. */
export function companyFromEntry(inn: string, entry: VendorEntry<FocusRecordOf<'req'>>): CompanyRef | null {
  const current = pickCurrent(entry.records);
  return current ? { inn, ogrn: current.ogrn } : null;
}

/** Resolves an INN to its Company through the req loader (one batched call per 100 INNs). */
export async function loadCompany(inn: string, ctx: GraphQLContext): Promise<CompanyRef | null> {
  return companyFromEntry(inn, await ctx.loaders.req.load(inn));
}

/** This Company's record from one vendor method, matched to its registration by OGRN. */
export async function recordOf<M extends FocusBatchMethod>(
  company: CompanyRef,
  loader: FocusLoader<M>,
): Promise<FocusRecordOf<M> | undefined> {
  const entry = await loader.load(company.inn);
  return recordForRegistration(entry.records, company.ogrn);
}
