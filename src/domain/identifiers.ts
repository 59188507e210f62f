/**
 * Russian registry identifiers: INN (taxpayer number) and OGRN/OGRNIP (registration number).
 * Checked by format and checksum before anything reaches a paid vendor call.
 */

export type InnKind = 'LEGAL_ENTITY' | 'SOLE_PROPRIETOR';

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_WEIGHTS_11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_WEIGHTS_12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

function weightedCheckDigit(digits: readonly number[], weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += digits[i]! * weights[i]!;
  return (sum % 11) % 10;
}

function toDigits(value: string): number[] {
  return Array.from(value, (ch) => ch.charCodeAt(0) - 48);
}

/** The check digit(s) an INN prefix must end with: 9 digits → 1 digit, 10 digits → 2 digits. */
export function innCheckDigits(prefix: string): string {
  const digits = toDigits(prefix);
  if (prefix.length === 9) return String(weightedCheckDigit(digits, INN10_WEIGHTS));
  if (prefix.length === 10) {
    const d11 = weightedCheckDigit(digits, INN12_WEIGHTS_11);
    const d12 = weightedCheckDigit([...digits, d11], INN12_WEIGHTS_12);
    return `${d11}${d12}`;
  }
  throw new Error(`INN prefix must have 9 or 10 digits, got ${prefix.length}`);
}

/** All zeros passes the checksum but is never a real taxpayer or registration: refused before it costs a call. */
const ALL_ZEROS = /^0+$/;

export function isValidInn(value: string): boolean {
  if (!/^(\d{10}|\d{12})$/.test(value) || ALL_ZEROS.test(value)) return false;
  const prefix = value.length === 10 ? value.slice(0, 9) : value.slice(0, 10);
  return value === prefix + innCheckDigits(prefix);
}

/** OGRN (13 digits, legal entity) or OGRNIP (15 digits, sole proprietor): the last digit is the remainder of the rest mod 11 / mod 13. */
export function ogrnCheckDigit(prefix: string): string {
  if (prefix.length === 12) return String((BigInt(prefix) % 11n) % 10n);
  if (prefix.length === 14) return String((BigInt(prefix) % 13n) % 10n);
  throw new Error(`OGRN prefix must have 12 or 14 digits, got ${prefix.length}`);
}

export function isValidOgrn(value: string): boolean {
  if (!/^(\d{13}|\d{15})$/.test(value) || ALL_ZEROS.test(value)) return false;
  return value.endsWith(ogrnCheckDigit(value.slice(0, -1)));
}

export function innKind(inn: string): InnKind {
  return inn.length === 12 ? 'SOLE_PROPRIETOR' : 'LEGAL_ENTITY';
}

/** Why an INN is invalid, in words a manager understands; null when it is valid. */
export function innProblem(value: string): string | null {
  if (!/^\d+$/.test(value)) return 'must contain digits only';
  if (value.length !== 10 && value.length !== 12) return 'must have 10 digits (organisation) or 12 digits (sole proprietor or person)';
  if (ALL_ZEROS.test(value)) return 'all zeros is not a taxpayer number';
  return isValidInn(value) ? null : 'check digit does not match';
}

export function ogrnProblem(value: string): string | null {
  if (!/^\d+$/.test(value)) return 'must contain digits only';
  if (value.length !== 13 && value.length !== 15) return 'must have 13 digits (OGRN) or 15 digits (OGRNIP)';
  if (ALL_ZEROS.test(value)) return 'all zeros is not a registration number';
  return isValidOgrn(value) ? null : 'check digit does not match';
}
