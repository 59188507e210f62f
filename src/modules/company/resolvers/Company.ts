import { innKind } from '../../../domain/identifiers.ts';
import type { CompanyResolvers } from '../../../generated/graphql.ts';
import type { GraphQLContext } from '../../../common/context.ts';
import type { FocusReqRecord } from '../../kontur-focus/vendor/schemas.ts';
import type { CompanyRef } from '../model.ts';
import { loadCompany, recordOf } from '../lookup.ts';
import { NO_STATUS, fullNameOf, pickCurrent, registryPart, shortNameOf, statusOf } from '../registry.ts';
import { assertValidInns } from '../validation.ts';
import { formatToponym } from '../address.ts';
import { siblingFieldNames } from '../../../common/siblings.ts';
import { COMPANY_FIELD_METHODS } from '../../kontur-focus/methods.ts';

/** Per-INN cached methods besides req whose entries an answer can be built from. */
const CACHED_METHODS = ['egrDetails', 'analytics', 'licences', 'buh', 'contacts'] as const;
/** Fields that read the status-fresh req entry. */
const STATUS_FIELDS = new Set(['status', 'dissolutionDate', 'registrations']);

const req = (company: CompanyRef, ctx: GraphQLContext) => recordOf(company, ctx.loaders.req);
const egr = async (company: CompanyRef, ctx: GraphQLContext) => {
  const record = await recordOf(company, ctx.loaders.egrDetails);
  return record?.UL ?? record?.IP;
};
const egrUL = async (company: CompanyRef, ctx: GraphQLContext) => (await recordOf(company, ctx.loaders.egrDetails))?.UL;

const reqField =
  <T>(pick: (record: FocusReqRecord) => T | undefined) =>
  async (company: CompanyRef, _args: unknown, ctx: GraphQLContext): Promise<T | null> => {
    const record = await req(company, ctx);
    return record ? (pick(record) ?? null) : null;
  };

/** Fields that change with the status read the status-fresh entry, so one answer never mixes old and new. */
const statusField =
  <T>(pick: (record: FocusReqRecord) => T | undefined) =>
  async (company: CompanyRef, _args: unknown, ctx: GraphQLContext): Promise<T | null> => {
    const record = await recordOf(company, ctx.loaders.reqForStatus);
    return record ? (pick(record) ?? null) : null;
  };

const name = registryPart;

/** Company fields: each one loads only the vendor method that backs it. */
export const Company: CompanyResolvers = {
  async __resolveReference(reference, ctx) {
    assertValidInns([reference.inn], 'representations.inn');
    return loadCompany(reference.inn, ctx);
  },

  inn: (company) => company.inn,
  kind: (company) => innKind(company.inn),

  // --- requisites (req)
  ogrn: reqField((record) => record.ogrn),
  kpp: reqField((record) => record.UL?.kpp),
  shortName: reqField(shortNameOf),
  fullName: reqField(fullNameOf),
  opf: reqField((record) => name(record)?.opf),
  okpo: reqField((record) => name(record)?.okpo),
  okato: reqField((record) => name(record)?.okato),
  oktmo: reqField((record) => name(record)?.oktmo),
  okfs: reqField((record) => name(record)?.okfs),
  okogu: reqField((record) => name(record)?.okogu),
  okopf: reqField((record) => name(record)?.okopf),
  registrationDate: reqField((record) => name(record)?.registrationDate),
  dissolutionDate: statusField((record) => name(record)?.dissolutionDate),
  legalAddress: reqField((record) => record.UL?.legalAddress?.parsedAddressRF),
  heads: reqField((record) => record.UL?.heads ?? []),
  managementCompanies: reqField((record) => record.UL?.managementCompanies ?? []),
  branches: reqField((record) => record.UL?.branches ?? []),
  focusUrl: reqField((record) => record.focusHref),
  async expressReport(company, _args, ctx) {
    const record = await req(company, ctx);
    const summary = record?.briefReport?.summary;
    return summary ? { inn: company.inn, ogrn: record.ogrn ?? company.ogrn, summary } : null;
  },
  // {} means "none known"; a missing object means the vendor said nothing.
  contactPhonesCount: reqField((record) => (record.contactPhones ? (record.contactPhones.count ?? 0) : undefined)),

  // Statuses change fast during liquidation: status fields refetch req entries older than CACHE_TTL_STATUS.
  status: statusField((record) => statusOf(record) ?? NO_STATUS),

  async region(company, _args, ctx) {
    const record = await req(company, ctx);
    const address = record?.UL?.legalAddress?.parsedAddressRF;
    if (address) return formatToponym(address.regionName) ?? null;
    if (!record?.IP) return null;
    // The registry publishes only a sole proprietor's region (in egrDetails).
    const details = await recordOf(company, ctx.loaders.egrDetails);
    return formatToponym(details?.IP?.shortenedAddress?.regionName) ?? null;
  },

  async freshness(company, _args, ctx, info) {
    // The entries the rest of this answer was built from (memoised in this request, so no extra vendor call):
    // stale when any was, fetched when the oldest was.
    const siblings = siblingFieldNames(info);
    const statusSelected = siblings.some((name) => STATUS_FIELDS.has(name));
    const methods = new Set(siblings.flatMap((name) => COMPANY_FIELD_METHODS[name] ?? []));
    const cachedMethods = CACHED_METHODS.filter((method) => methods.has(method));
    const loads: Array<Promise<{ fetchedAt: number; stale?: true } | undefined>> = [
      (statusSelected ? ctx.loaders.reqForStatus : ctx.loaders.req).load(company.inn),
      ...cachedMethods.map((method) => ctx.loaders[method].load(company.inn)),
    ].map((load) => load.catch(() => undefined));
    const entries = (await Promise.all(loads)).filter((entry) => entry !== undefined);
    if (entries.length === 0) return null;
    return {
      fetchedAt: new Date(Math.min(...entries.map((entry) => entry.fetchedAt))).toISOString(),
      stale: entries.some((entry) => entry.stale === true),
    };
  },

  async registrations(company, _args, ctx) {
    const { records } = await ctx.loaders.reqForStatus.load(company.inn);
    const currentOgrn = company.ogrn ?? pickCurrent(records)?.ogrn;
    return records.map((record) => ({ record, isCurrent: record.ogrn === currentOgrn }));
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
    return capital && (capital.sum !== undefined || capital.date !== undefined) ? { amount: capital.sum ?? null, date: capital.date ?? null } : null;
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
  analytics: async (company, _args, ctx) => (await recordOf(company, ctx.loaders.analytics))?.analytics ?? null,
  async licences(company, _args, ctx) {
    const licences = (await recordOf(company, ctx.loaders.licences))?.licenses ?? [];
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
    const forms = (await recordOf(company, ctx.loaders.buh))?.buhForms ?? [];
    return forms.filter((form) => form.year !== undefined).sort((a, b) => a.year! - b.year!);
  },
};
