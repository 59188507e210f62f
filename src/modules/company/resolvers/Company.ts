import { innKind } from '../../../domain/identifiers.ts';
import { pickCurrent, type CompanyRecord } from '../../../domain/company.ts';
import type { CompanyResolvers } from '../../../generated/graphql.ts';
import type { GraphQLContext } from '../../../common/context.ts';
import { siblingFieldNames } from '../../../common/siblings.ts';
import { formatToponym } from '../../../domain/address.ts';
import { companyFieldMethods, PER_INN_METHODS, type PerInnMethod } from '../../kontur-focus/index.ts';
import type { CompanyRef } from '../model.ts';
import { loadCompany, recordOf, registrationOf, STATUS_FIELDS } from '../lookup.ts';
import { assertValidInns } from '../validation.ts';
import { badUserInput } from '../../../errors.ts';

/** Which Kontur.Focus methods each Company field reads: the method table's, for an answer's freshness. */
const FIELD_METHODS = companyFieldMethods();
/** Per-INN cached methods besides req whose entries an answer can be built from. */
const CACHED_METHODS = PER_INN_METHODS.filter((method): method is Exclude<PerInnMethod, 'req'> => method !== 'req');

const egr = async (company: CompanyRef, ctx: GraphQLContext) => {
  const record = await recordOf(company, ctx.focus.egrDetails);
  return record?.UL ?? record?.IP;
};
const egrUL = async (company: CompanyRef, ctx: GraphQLContext) => (await recordOf(company, ctx.focus.egrDetails))?.UL;

/**
 * A field of the registration (domain/company.ts): from the Company's own record when it carries one (synchronously:
 * no promise per field), else from the request's requisites entry. Fields that change with the status read the
 * status-fresh entry (`forStatus`), so one answer never mixes old and new.
 */
const registrationField =
  (forStatus: boolean) =>
  <T>(pick: (record: CompanyRecord) => T | null) =>
  (company: CompanyRef, _args: unknown, ctx: GraphQLContext): T | null | Promise<T | null> => {
    const record = registrationOf(company, ctx, { forStatus });
    if (record instanceof Promise) return record.then((loaded) => (loaded ? pick(loaded) : null));
    return record ? pick(record) : null;
  };
const reqField = registrationField(false);
const statusField = registrationField(true);

/** Company fields: each one loads only the vendor method that backs it. */
export const Company: CompanyResolvers = {
  async __resolveReference(reference, ctx) {
    // A representation is client JSON: its inn may be missing or not a string at all.
    const inn: unknown = (reference as { inn?: unknown }).inn;
    if (typeof inn !== 'string')
      throw badUserInput('A Company representation needs "inn" as a string', { argument: 'representations.inn' });
    assertValidInns([inn], 'representations.inn');
    return loadCompany(reference.inn, ctx);
  },

  inn: (company) => company.inn,
  kind: (company) => innKind(company.inn),

  // --- requisites (Kontur.Focus's req, or T-Bank's excerpt)
  ogrn: reqField((record) => record.ogrn),
  kpp: reqField((record) => record.kpp),
  shortName: reqField((record) => record.shortName),
  fullName: reqField((record) => record.fullName),
  opf: reqField((record) => record.opf),
  okpo: reqField((record) => record.okpo),
  okato: reqField((record) => record.okato),
  oktmo: reqField((record) => record.oktmo),
  okfs: reqField((record) => record.okfs),
  okogu: reqField((record) => record.okogu),
  okopf: reqField((record) => record.okopf),
  registrationDate: reqField((record) => record.registrationDate),
  dissolutionDate: statusField((record) => record.dissolutionDate),
  legalAddress: reqField((record) => record.legalAddress),
  heads: reqField((record) => record.heads),
  managementCompanies: reqField((record) => record.managementCompanies),
  branches: reqField((record) => record.branches),
  focusUrl: reqField((record) => record.focusUrl),
  expressReport: reqField((record) =>
    record.expressReport ? { inn: record.inn, ogrn: record.ogrn, summary: record.expressReport } : null,
  ),
  contactPhonesCount: reqField((record) => record.contactPhonesCount),
  history: (company, _args, ctx) => reqField((record) => ({ company, record }))(company, _args, ctx),

  // Statuses change fast during liquidation: status fields refetch entries older than CACHE_TTL_STATUS.
  status: statusField((record) => record.status),

  async region(company, _args, ctx) {
    const record = await registrationOf(company, ctx);
    if (!record) return null;
    if (record.kind === 'LEGAL_ENTITY') return record.region;
    // The registry publishes only a sole proprietor's region (in egrDetails).
    const details = await recordOf(company, ctx.focus.egrDetails);
    return formatToponym(details?.IP?.shortenedAddress?.regionName) ?? null;
  },

  async freshness(company, _args, ctx, info) {
    // The entries the rest of this answer was built from (memoised in this request, so no extra vendor call):
    // stale when any was, fetched when the oldest was.
    const siblings = siblingFieldNames(info);
    const statusSelected = siblings.some((name) => STATUS_FIELDS.has(name));
    const methods = new Set(siblings.flatMap((name) => FIELD_METHODS[name] ?? []));
    const cachedMethods = CACHED_METHODS.filter((method) => methods.has(method));
    const loads: Array<Promise<{ fetchedAt: number; stale?: true } | undefined>> = [
      (statusSelected ? ctx.requisites.reqForStatus : ctx.requisites.req).load(company.inn),
      ...cachedMethods.map((method) => ctx.focus[method].load(company.inn)),
    ].map((load) => load.catch(() => undefined));
    const entries = (await Promise.all(loads)).filter((entry) => entry !== undefined);
    if (entries.length === 0) return null;
    return {
      fetchedAt: new Date(Math.min(...entries.map((entry) => entry.fetchedAt))).toISOString(),
      stale: entries.some((entry) => entry.stale === true),
    };
  },

  async registrations(company, _args, ctx) {
    const { registrations } = await ctx.requisites.reqForStatus.load(company.inn);
    const currentOgrn = company.ogrn ?? pickCurrent(registrations)?.ogrn ?? null;
    return registrations.map((record) => ({ record, isCurrent: record.ogrn === currentOgrn }));
  },

  // --- registry details (egrDetails)
  async activities(company, _args, ctx) {
    const activities = (await egr(company, ctx))?.activities;
    if (!activities) return [];
    const okvedVersion = activities.okvedVersion ?? '1';
    const principal = activities.principalActivity ? [{ activity: activities.principalActivity, isPrincipal: true, okvedVersion }] : [];
    const complementary = activities.complementaryActivities.map((activity) => ({ activity, isPrincipal: false, okvedVersion }));
    return [...principal, ...complementary].filter((item) => item.activity.code !== undefined);
  },
  founders: async (company, _args, ctx) => (await egrUL(company, ctx)) ?? null,
  async statedCapital(company, _args, ctx) {
    const capital = (await egrUL(company, ctx))?.statedCapital;
    return capital && (capital.sum !== undefined || capital.date !== undefined)
      ? { amount: capital.sum ?? null, date: capital.date ?? null }
      : null;
  },
  taxAuthority: async (company, _args, ctx) => (await egr(company, ctx))?.nalogRegBody ?? null,
  registrationAuthority: async (company, _args, ctx) => (await egr(company, ctx))?.regBody ?? null,
  async registrationInfo(company, _args, ctx) {
    const info = (await egr(company, ctx))?.regInfo;
    return info
      ? { ogrnDate: info.ogrnDate ?? null, previousRegistrationNumber: info.regNum ?? null, previousRegistrar: info.regName ?? null }
      : null;
  },
  async fundNumbers(company, _args, ctx) {
    const details = await egr(company, ctx);
    return details
      ? {
          pensionFund: details.pfrRegNumber ?? null,
          socialInsuranceFund: details.fssRegNumber ?? null,
          medicalInsuranceFund: details.fomsRegNumber ?? null,
        }
      : null;
  },
  predecessors: async (company, _args, ctx) => (await egrUL(company, ctx))?.predecessors ?? [],
  successors: async (company, _args, ctx) => (await egrUL(company, ctx))?.successors ?? [],

  // --- other methods
  analytics: async (company, _args, ctx) => (await recordOf(company, ctx.focus.analytics))?.analytics ?? null,
  async licences(company, _args, ctx) {
    const licences = (await recordOf(company, ctx.focus.licences))?.licenses ?? [];
    // The vendor repeats some licences verbatim; the authority and the registry copies differ and both stay.
    const seen = new Set<string>();
    return licences.filter((licence) => {
      const key = JSON.stringify(licence);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
  async financials(company, _args, ctx) {
    const forms = (await recordOf(company, ctx.focus.buh))?.buhForms ?? [];
    return forms.filter((form) => form.year !== undefined).sort((a, b) => a.year! - b.year!);
  },
};
