import { addressModel, formatToponym } from '../../domain/address.ts';
import { EMPTY_HISTORY, isOperating, type CompanyRecord, type CompanyStatusModel, type RequisitesEntry } from '../../domain/company.ts';
import type { Fetched } from '../../cache/cached-fetch.ts';
import type { TbankExcerpt } from './vendor/schemas.ts';
import { companyBlock, entrepreneurBlock, excerptInn, leaders, registryBlock, statusCodeOf } from './mapping.ts';

/**
 * THE one place where a T-Bank excerpt becomes the graph's company (domain/company.ts), for deployments with a T-Bank
 * token and no Kontur.Focus key: the requisites source is then T-Bank (modules/tbank/loaders.ts). What T-Bank does
 * not have is null: OKTMO/OKFS/OKOGU, branches, management companies, the express report, contact counts, heads' INNs.
 *
 * Status: T-Bank's normalised `statusType` decides it; the wording is T-Bank's own, except that an active company
 * whose T-Bank text does not say "Действующ…" is worded "Действующее" (and an unknown one with such a text has none).
 */
function statusModel(excerpt: TbankExcerpt): CompanyStatusModel {
  const card = excerpt.companyCard.requisites;
  const block = registryBlock(excerpt);
  const statusType = excerpt.companyCard.statusType;
  const text = card.status ?? block?.status?.text ?? block?.status?.type;
  const operating = text !== undefined && /^действующ/i.test(text.trim());
  const wording = statusType === 'active' ? (operating ? text : 'Действующее') : statusType === 'unknown' && operating ? undefined : text;
  const code = statusCodeOf(excerpt);
  return {
    code,
    text: wording ?? null,
    date: block?.status?.date ?? (statusType === 'liquidated' ? card.terminationDt : undefined) ?? null,
    isActive: isOperating(code),
  };
}

function legalAddress(excerpt: TbankExcerpt) {
  const card = excerpt.companyCard.requisites;
  const ul = companyBlock(excerpt);
  const address = ul?.address[0];
  return addressModel({
    // The zip of the one-line address it goes with, so `zipCode` and `oneLine` agree.
    zipCode: card.legalAddress ? /^(\d{6}),/.exec(card.legalAddress)?.[1] : address?.postCode,
    regionCode: address?.fiasRegion,
    regionName: ul?.okato?.regionName ? { topoValue: ul.okato.regionName } : undefined,
    city: card.city ? { topoValue: card.city } : undefined,
    street: address?.streetName ? { topoValue: address.streetName } : undefined,
    house: address?.buildingNumber ? { topoValue: address.buildingNumber } : undefined,
    oneLineFormatOfAddress: card.legalAddress ?? address?.address,
  });
}

export function companyRecordOf(excerpt: TbankExcerpt, requestedInn = ''): CompanyRecord {
  const card = excerpt.companyCard.requisites;
  const block = registryBlock(excerpt);
  const entrepreneur = excerpt.companyType === 'entrepreneur';
  const ul = companyBlock(excerpt);
  const ip = entrepreneurBlock(excerpt);
  const kpp = card.kpp ?? ul?.kpp;
  const fio = ip?.fullNameRus ?? (card.fullName ?? card.shortName)?.replace(/^ИП\s+/i, '');
  const address = entrepreneur ? null : legalAddress(excerpt);
  return {
    inn: excerptInn(excerpt) ?? requestedInn,
    ogrn: card.ogrn,
    kind: entrepreneur ? 'SOLE_PROPRIETOR' : 'LEGAL_ENTITY',
    kpp: entrepreneur || kpp === '0' ? null : (kpp ?? null),
    shortName:
      (entrepreneur ? fio && `ИП ${fio}` : (card.shortName ?? ul?.shortNameRus ?? ul?.shortName ?? card.fullName ?? ul?.fullNameRus)) ??
      null,
    fullName: (entrepreneur ? fio : (card.fullName ?? ul?.fullNameRus)) ?? null,
    opf: (entrepreneur ? ip?.okopf?.name : (excerpt.excerpt?.legalFormText ?? excerpt.excerpt?.requisites?.legalForm)) ?? null,
    okpo: block?.okpo ?? null,
    okato: block?.okato?.code ?? null,
    oktmo: null,
    okfs: null,
    okogu: null,
    okopf: (entrepreneur ? ip?.okopf?.code : undefined) ?? null,
    registrationDate:
      (entrepreneur
        ? (ip?.dateReg ?? card.dateReg)
        : (card.dateReg ?? ul?.dateFirstReg ?? excerpt.excerpt?.requisites?.entityRegistrationDate)) ?? null,
    dissolutionDate: (excerpt.companyCard.statusType === 'liquidated' ? (card.terminationDt ?? block?.status?.date) : undefined) ?? null,
    status: statusModel(excerpt),
    legalAddress: address,
    region: entrepreneur ? null : (formatToponym(ul?.okato?.regionName ? { topoValue: ul.okato.regionName } : undefined) ?? null),
    heads: entrepreneur
      ? []
      : leaders(excerpt).map((leader) => ({
          fio: leader.name ?? null,
          innfl: null,
          position: leader.position ?? null,
          since: leader.since ?? null,
          // T-Bank's excerpt carries no registry marks of its own here: Kontur.Focus's req does.
          unreliable: false,
          unreliableSince: null,
        })),
    // T-Bank's excerpt keeps no former names, addresses or heads.
    history: EMPTY_HISTORY,
    managementCompanies: [],
    branches: [],
    focusUrl: null,
    expressReport: null,
    contactPhonesCount: null,
  };
}

const mapped = new WeakMap<Fetched<TbankExcerpt | null>, RequisitesEntry>();

/** A cached excerpt as the graph's requisites entry (one registration, or none when T-Bank has no data), mapped once. */
export function requisitesEntryOf(fetched: Fetched<TbankExcerpt | null>, requestedInn?: string): RequisitesEntry {
  let entry = mapped.get(fetched);
  if (!entry) {
    entry = { fetchedAt: fetched.fetchedAt, registrations: fetched.value ? [companyRecordOf(fetched.value, requestedInn)] : [] };
    mapped.set(fetched, entry);
  }
  return entry;
}
