import { innKind } from '../../domain/identifiers.ts';
import {
  EMPTY_HISTORY,
  UNKNOWN_STATUS,
  isOperating,
  type AddressModel,
  type BranchModel,
  type CompanyHistoryModel,
  type HeadModel,
  type Period,
  type CompanyRecord,
  type CompanyStatusCode,
  type CompanyStatusModel,
} from '../../domain/company.ts';
import { addressModel, formatToponym } from '../../domain/address.ts';
import { sharedWord } from '../../cache/heap-size.ts';
import type { FocusBranch, FocusHead, FocusLegalAddress, FocusReqIP, FocusReqRecord, FocusReqUL, FocusStatus } from './vendor/schemas.ts';

/**
 * THE one place where Kontur.Focus's `req` record becomes the graph's company (domain/company.ts). Mapped once per
 * fetched entry (memoised by the entry object), not once per field of every request.
 */

/** Status comes from the flags, never from the free-text statusString (its wording varies by reason). */
export function statusCodeOf(status: FocusStatus | undefined): CompanyStatusCode {
  if (!status) return 'UNKNOWN';
  if (status.dissolved) return 'LIQUIDATED';
  if (status.bankrupting) return 'BANKRUPT';
  if (status.dissolving) return 'LIQUIDATING';
  if (status.reorganizing) return 'REORGANIZING';
  if (status.statusString && /^действующ/i.test(status.statusString.trim())) return 'ACTIVE';
  return 'UNKNOWN';
}

function statusModel(status: FocusStatus | undefined): CompanyStatusModel {
  if (!status) return UNKNOWN_STATUS;
  const code = statusCodeOf(status);
  return { code, text: sharedWord(status.statusString ?? null), date: status.date ?? null, isActive: isOperating(code) };
}

function branchModel(branch: FocusBranch): BranchModel {
  return {
    name: branch.name ?? null,
    kpp: branch.kpp ?? null,
    address: branch.parsedAddressRF ? sharedPlaces(addressModel(branch.parsedAddressRF)) : null,
    foreignAddress: [branch.foreignAddress?.countryName, branch.foreignAddress?.addressString].filter(Boolean).join(', ') || null,
    since: branch.date ?? null,
  };
}

/** A legal address with the registry's "unreliable" mark; null without a parsed address. */
function legalAddressModel(legal: FocusLegalAddress): AddressModel | null {
  if (!legal.parsedAddressRF) return null;
  const address = sharedPlaces(addressModel(legal.parsedAddressRF));
  if (legal.isInaccuracy) {
    address.unreliable = true;
    address.unreliableSince = legal.inaccuracyDate ?? null;
  }
  return address;
}

function headModel(head: FocusHead): HeadModel {
  return {
    fio: head.fio ?? null,
    innfl: head.innfl ?? null,
    position: sharedWord(head.position ?? null),
    since: head.firstDate ?? head.date ?? null,
    unreliable: head.isInaccuracy,
    unreliableSince: head.isInaccuracy ? (head.inaccuracyDate ?? null) : null,
  };
}

/**
 * Periods of former values: each holds from its own start until the next value's start (the current value's, for the
 * latest former one). Sorted oldest first; a value without a date sorts first and ends where the next dated one begins.
 */
function withPeriods<T>(former: ReadonlyArray<{ value: T; since: string | null }>, currentSince: string | null): Array<T & Period> {
  const sorted = [...former].sort((a, b) => (a.since ?? '').localeCompare(b.since ?? ''));
  return sorted.map(({ value, since }, index) => {
    const laterStarts = [...sorted.slice(index + 1).map((entry) => entry.since), currentSince].filter(
      (start): start is string => start !== null && (since === null || start > since),
    );
    return { ...value, since, until: laterStarts.length > 0 ? laterStarts.reduce((a, b) => (a < b ? a : b)) : null };
  });
}

function historyOfUL(ul: FocusReqUL): CompanyHistoryModel {
  const history = ul.history;
  if (!history) return EMPTY_HISTORY;
  // A current value's latest record (`date`) is when it replaced the former one; its `firstDate` may be older (the
  // registry re-recorded the same value, e.g. an address whose postcode changed).
  const currentHeadStart = (ul.heads ?? []).map((head) => head.date ?? head.firstDate ?? null).find((start) => start !== null) ?? null;
  return {
    names: withPeriods(
      history.legalNames.map((name) => ({
        value: { shortName: name.short ?? null, fullName: name.full ?? null },
        since: name.date ?? null,
      })),
      ul.legalName?.date ?? null,
    ),
    legalAddresses: withPeriods(
      history.legalAddresses.flatMap((legal) => {
        const address = legalAddressModel(legal);
        return address ? [{ value: { address }, since: legal.firstDate ?? legal.date ?? null }] : [];
      }),
      ul.legalAddress?.date ?? ul.legalAddress?.firstDate ?? null,
    ),
    heads: withPeriods(
      history.heads.map((head) => {
        const { since, ...value } = headModel(head);
        return { value, since };
      }),
      currentHeadStart,
    ),
    kpps: withPeriods(
      history.kpps.flatMap((entry) => (entry.kpp ? [{ value: { kpp: entry.kpp }, since: entry.date ?? null }] : [])),
      null,
    ),
  };
}

/** A sole proprietor's former names (a name change, e.g. on marriage). */
function historyOfIP(ip: FocusReqIP): CompanyHistoryModel {
  const fios = ip.historyIP?.fios ?? [];
  if (fios.length === 0) return EMPTY_HISTORY;
  return {
    ...EMPTY_HISTORY,
    names: withPeriods(
      fios.map((entry) => ({
        value: { shortName: entry.fio ? `ИП ${entry.fio}` : null, fullName: entry.fio ?? null },
        since: entry.date ?? null,
      })),
      ip.fioDate ?? null,
    ),
  };
}

/** `fallbackInn`: the INN asked for, when a record does not name its own (by-OGRN lookups pass none). */
export function companyRecordOf(record: FocusReqRecord, fallbackInn = ''): CompanyRecord {
  const ul = record.UL;
  const part = ul ?? record.IP;
  const address = ul?.legalAddress?.parsedAddressRF;
  const summary = record.briefReport?.summary;
  return {
    inn: record.inn ?? fallbackInn,
    ogrn: record.ogrn ?? null,
    kind: record.IP ? 'SOLE_PROPRIETOR' : ul ? 'LEGAL_ENTITY' : innKind(record.inn ?? fallbackInn),
    kpp: ul?.kpp ?? null,
    shortName: (ul ? (ul.legalName?.short ?? ul.legalName?.full) : record.IP?.fio && `ИП ${record.IP.fio}`) ?? null,
    fullName: ul?.legalName?.full ?? record.IP?.fio ?? null,
    opf: sharedWord(part?.opf ?? null),
    okpo: part?.okpo ?? null,
    okato: part?.okato ?? null,
    oktmo: part?.oktmo ?? null,
    // Classifier codes of ownership, authority and legal form: a few hundred values across the registry.
    okfs: sharedWord(part?.okfs ?? null),
    okogu: sharedWord(part?.okogu ?? null),
    okopf: sharedWord(part?.okopf ?? null),
    registrationDate: part?.registrationDate ?? null,
    dissolutionDate: part?.dissolutionDate ?? null,
    status: statusModel(part?.status),
    legalAddress: ul?.legalAddress ? legalAddressModel(ul.legalAddress) : null,
    region: address ? sharedWord(formatToponym(address.regionName) ?? null) : null,
    heads: (ul?.heads ?? []).map(headModel),
    history: ul ? historyOfUL(ul) : record.IP ? historyOfIP(record.IP) : EMPTY_HISTORY,
    managementCompanies: (ul?.managementCompanies ?? []).map((company) => ({
      name: company.name ?? null,
      inn: company.inn ?? null,
      ogrn: company.ogrn ?? null,
      since: company.date ?? null,
    })),
    branches: (ul?.branches ?? []).map(branchModel),
    focusUrl: record.focusHref ?? null,
    expressReport: summary ? { green: summary.greenStatements, yellow: summary.yellowStatements, red: summary.redStatements } : null,
    // {} means "none known"; a missing object means the vendor said nothing.
    contactPhonesCount: record.contactPhones ? (record.contactPhones.count ?? 0) : null,
  };
}

/** An address whose region, region code and city are the shared copies of those words (see sharedWord in cache/heap-size.ts). */
function sharedPlaces<A extends { region: string | null; regionCode: string | null; city: string | null }>(address: A): A {
  address.region = sharedWord(address.region);
  address.regionCode = sharedWord(address.regionCode);
  address.city = sharedWord(address.city);
  return address;
}
