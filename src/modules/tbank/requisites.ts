import type { VendorEntry } from '../kontur-focus/batcher.ts';
import type { Fetched } from '../../cache/keyed-fetch.ts';
import { ReqRecordSchema, type FocusReqRecord } from '../kontur-focus/vendor/schemas.ts';
import type { TbankExcerpt } from './vendor/schemas.ts';
import { companyBlock, entrepreneurBlock, excerptInn, leaders, registryBlock } from './mapping.ts';

/**
 * THE one place where a T-Bank excerpt becomes the requisites record the Company resolvers read (Kontur.Focus's `req`
 * record shape), for deployments with a T-Bank token and no Kontur.Focus key: the `req`, `reqForStatus` and
 * `reqByOgrn` loaders then answer from T-Bank (src/loaders/tbank-loaders.ts), and the Company module is unchanged.
 *
 * The record is built as raw Focus JSON and passed through Focus's own zod schema, so it has exactly the shape (and
 * the defaults) of a record Kontur.Focus would have produced. What T-Bank does not have stays absent, so those fields
 * answer null: OKTMO/OKFS/OKOGU, branches, management companies, the express report, contact counts, heads' INNs.
 *
 * Status: T-Bank's normalised `statusType` decides it (the flags the Company module maps to a status code); the
 * wording is T-Bank's own. The registry's "Действующ…" wording is what the Company module reads as ACTIVE, so an active
 * company whose T-Bank text says otherwise is worded "Действующее".
 */
export function requisitesRecord(excerpt: TbankExcerpt, requestedInn?: string): FocusReqRecord {
  const card = excerpt.companyCard.requisites;
  const block = registryBlock(excerpt);
  const statusType = excerpt.companyCard.statusType;
  const text = card.status ?? block?.status?.text ?? block?.status?.type;
  const operating = text !== undefined && /^действующ/i.test(text.trim());
  const statusString = statusType === 'active' ? (operating ? text : 'Действующее') : statusType === 'unknown' && operating ? undefined : text;
  const status = {
    statusString,
    reorganizing: statusType === 'reorganizing',
    dissolving: statusType === 'liquidating',
    bankrupting: statusType === 'bankrupting',
    dissolved: statusType === 'liquidated',
    date: block?.status?.date ?? (statusType === 'liquidated' ? card.terminationDt : undefined),
  };
  const dissolutionDate = statusType === 'liquidated' ? (card.terminationDt ?? block?.status?.date) : undefined;
  const common = { okpo: block?.okpo, okato: block?.okato?.code, status, dissolutionDate };

  const ul = companyBlock(excerpt);
  const ip = entrepreneurBlock(excerpt);
  let payload: Record<string, unknown>;
  if (excerpt.companyType === 'entrepreneur') {
    payload = {
      IP: {
        ...common,
        fio: ip?.fullNameRus ?? (card.fullName ?? card.shortName)?.replace(/^ИП\s+/i, ''),
        okopf: ip?.okopf?.code,
        opf: ip?.okopf?.name,
        registrationDate: ip?.dateReg ?? card.dateReg,
      },
    };
  } else {
    const address = ul?.address[0];
    const kpp = card.kpp ?? ul?.kpp;
    payload = {
      UL: {
        ...common,
        kpp: kpp === '0' ? undefined : kpp,
        opf: excerpt.excerpt?.legalFormText ?? excerpt.excerpt?.requisites?.legalForm,
        legalName: { short: card.shortName ?? ul?.shortNameRus ?? ul?.shortName, full: card.fullName ?? ul?.fullNameRus },
        legalAddress: {
          parsedAddressRF: {
            // The zip of the one-line address it goes with, so `zipCode` and `oneLine` agree.
            zipCode: card.legalAddress ? /^(\d{6}),/.exec(card.legalAddress)?.[1] : address?.postCode,
            regionCode: address?.fiasRegion,
            regionName: ul?.okato?.regionName ? { topoValue: ul.okato.regionName } : undefined,
            city: card.city ? { topoValue: card.city } : undefined,
            street: address?.streetName ? { topoValue: address.streetName } : undefined,
            house: address?.buildingNumber ? { topoValue: address.buildingNumber } : undefined,
            oneLineFormatOfAddress: card.legalAddress ?? address?.address,
          },
          date: address?.actualDate,
        },
        registrationDate: card.dateReg ?? ul?.dateFirstReg ?? excerpt.excerpt?.requisites?.entityRegistrationDate,
        heads: leaders(excerpt).map((leader) => ({ fio: leader.name, position: leader.position, date: leader.since, firstDate: leader.since })),
      },
    };
  }
  return ReqRecordSchema.parse(
    dropUndefined({
      inn: excerptInn(excerpt) ?? requestedInn,
      ogrn: card.ogrn,
      ...payload,
    }),
  );
}

/** A cached excerpt as the req loaders' entry: one record, or none when T-Bank has no data. */
export function requisitesEntry(fetched: Fetched<TbankExcerpt | null>, requestedInn?: string): VendorEntry<FocusReqRecord> {
  return { fetchedAt: fetched.fetchedAt, records: fetched.value ? [requisitesRecord(fetched.value, requestedInn)] : [] };
}

/** Raw JSON without undefined members (zod treats a present `undefined` like an absent key, but keep it tidy). */
function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined).map(([key, item]) => [key, dropUndefined(item)])) as T;
  }
  return value;
}
