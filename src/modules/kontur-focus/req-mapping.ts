import { innKind } from '../../domain/identifiers.ts';
import {
  UNKNOWN_STATUS,
  isOperating,
  type BranchModel,
  type CompanyRecord,
  type CompanyStatusCode,
  type CompanyStatusModel,
} from '../../domain/company.ts';
import { addressModel, formatToponym } from '../../domain/address.ts';
import { sharedWord } from '../../cache/heap-size.ts';
import type { FocusBranch, FocusReqRecord, FocusStatus } from './vendor/schemas.ts';

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
    legalAddress: address ? sharedPlaces(addressModel(address)) : null,
    region: address ? sharedWord(formatToponym(address.regionName) ?? null) : null,
    heads: (ul?.heads ?? []).map((head) => ({
      fio: head.fio ?? null,
      innfl: head.innfl ?? null,
      position: sharedWord(head.position ?? null),
      since: head.firstDate ?? head.date ?? null,
    })),
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
