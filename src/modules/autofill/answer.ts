import { pickCurrent, type AddressModel, type CompanyRecord, type RequisitesEntry } from '../../domain/company.ts';

/** What the public route answers for one INN: public registry requisites only (no analytics, contacts or founders). */
export interface AutofillAnswer {
  inn: string;
  kind: CompanyRecord['kind'];
  kpp: string | null;
  ogrn: string | null;
  shortName: string | null;
  fullName: string | null;
  registrationDate: string | null;
  status: { code: string; text: string | null; isActive: boolean };
  legalAddress: Omit<AddressModel, 'regionCode' | 'unreliable' | 'unreliableSince'> | null;
  head: { fio: string | null; position: string | null } | null;
  /** When the registry data was fetched (ISO 8601). */
  fetchedAt: string;
  /** Present when the vendor could not be asked and an expired entry answered. */
  stale?: true;
}

/**
 * The answer for an INN from its requisites entry (the graph's own shape, whichever vendor filled it), or undefined
 * when the registry does not know the INN. The one place the route's shape is made.
 */
export function autofillAnswer(inn: string, entry: RequisitesEntry): AutofillAnswer | undefined {
  const record = pickCurrent(entry.registrations);
  if (!record) return undefined;
  const address = record.legalAddress;
  // A sole proprietor heads itself: a registration form's "director" is the entrepreneur.
  const head = record.kind === 'SOLE_PROPRIETOR' ? { fio: record.fullName, position: 'Индивидуальный предприниматель' } : record.heads[0];
  return {
    inn,
    kind: record.kind,
    kpp: record.kpp,
    ogrn: record.ogrn,
    shortName: record.shortName,
    fullName: record.fullName,
    registrationDate: record.registrationDate,
    status: { code: record.status.code, text: record.status.text, isActive: record.status.isActive },
    legalAddress: address
      ? {
          oneLine: address.oneLine,
          zipCode: address.zipCode,
          region: address.region,
          city: address.city,
          street: address.street,
          house: address.house,
          flat: address.flat,
        }
      : null,
    head: head ? { fio: head.fio, position: head.position } : null,
    fetchedAt: new Date(entry.fetchedAt).toISOString(),
    ...(entry.stale ? { stale: true as const } : {}),
  };
}

/** How long a client is asked to wait when the vendor failed without saying how long. */
const UNAVAILABLE_RETRY_SECONDS = 30;

/** Retry-After for a failed lookup: the vendor's own `retryAfterSeconds` when the error carries one. */
export function retryAfterOf(error: { extensions?: Readonly<Record<string, unknown>> } | undefined): number {
  const seconds = error?.extensions?.retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : UNAVAILABLE_RETRY_SECONDS;
}
