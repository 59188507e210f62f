import { innKind, type InnKind } from '../../domain/identifiers.ts';
import type { CompanyStatusCode } from '../../generated/graphql.ts';
import type { FocusReqRecord, FocusStatus } from '../kontur-focus/vendor/schemas.ts';

/**
 * Registry rules shared by the Company resolvers: which registration is current, and what a status means.
 * Status comes from the flags, never from the free-text statusString (its wording varies by reason).
 */

/** A status with nothing known, which maps to UNKNOWN. */
export const NO_STATUS: FocusStatus = {
  reorganizing: false,
  dissolving: false,
  bankrupting: false,
  dissolved: false,
  statusString: undefined,
  date: undefined,
};

export function statusOf(record: FocusReqRecord | undefined): FocusStatus | undefined {
  return record?.UL?.status ?? record?.IP?.status;
}

/** The payload of a req record, whichever register it comes from. */
export function registryPart(record: FocusReqRecord) {
  return record.UL ?? record.IP;
}

export function kindOf(record: FocusReqRecord): InnKind {
  if (record.IP) return 'SOLE_PROPRIETOR';
  if (record.UL) return 'LEGAL_ENTITY';
  return innKind(record.inn ?? '');
}

/** Short name (`ИП Фамилия Имя Отчество` for a sole proprietor), else the full name. */
export function shortNameOf(record: FocusReqRecord): string | undefined {
  if (record.UL) return record.UL.legalName?.short ?? record.UL.legalName?.full;
  return record.IP?.fio && `ИП ${record.IP.fio}`;
}

export function fullNameOf(record: FocusReqRecord): string | undefined {
  return record.UL?.legalName?.full ?? record.IP?.fio;
}

export function statusCode(status: FocusStatus | undefined): CompanyStatusCode {
  if (!status) return 'UNKNOWN';
  if (status.dissolved) return 'LIQUIDATED';
  if (status.bankrupting) return 'BANKRUPT';
  if (status.dissolving) return 'LIQUIDATING';
  if (status.reorganizing) return 'REORGANIZING';
  if (status.statusString && /^действующ/i.test(status.statusString.trim())) return 'ACTIVE';
  return 'UNKNOWN';
}

export function isOperating(code: CompanyStatusCode): boolean {
  return code === 'ACTIVE' || code === 'REORGANIZING';
}

function registrationDateOf(record: FocusReqRecord): string {
  return registryPart(record)?.registrationDate ?? '';
}

/** The registration a Company answers with: one not dissolved, else the latest registered. */
export function pickCurrent(records: readonly FocusReqRecord[]): FocusReqRecord | undefined {
  const byLatest = [...records].sort((a, b) => registrationDateOf(b).localeCompare(registrationDateOf(a)));
  return byLatest.find((record) => !statusOf(record)?.dissolved) ?? byLatest[0];
}

/**
 * The record of any method that belongs to the registration with this OGRN.
 * Records of other methods are matched by OGRN, never by position: one INN may have several registrations.
 */
export function recordForRegistration<R extends { ogrn?: string | undefined }>(
  records: readonly R[],
  ogrn: string | undefined,
): R | undefined {
  if (ogrn) return records.find((record) => record.ogrn === ogrn || record.ogrn === undefined);
  // Another registration's data must never be shown as this one's, so without an OGRN only a sole record matches.
  return records.length === 1 ? records[0] : undefined;
}
