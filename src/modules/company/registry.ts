import type { CompanyStatusCode } from '../../generated/graphql.ts';
import type { FocusReqRecord, FocusStatus } from '../../vendors/kontur-focus/schemas.ts';

/**
 * Registry rules shared by the Company resolvers: which registration is current, and what a status means.
 * Status comes from the flags, never from the free-text statusString (its wording varies by reason).
 */

export function statusOf(record: FocusReqRecord | undefined): FocusStatus | undefined {
  return record?.UL?.status ?? record?.IP?.status;
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
  return record.UL?.registrationDate ?? record.IP?.registrationDate ?? '';
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
  if (ogrn) {
    const match = records.find((record) => record.ogrn === ogrn);
    if (match) return match;
  }
  return records.length === 1 ? records[0] : undefined;
}
