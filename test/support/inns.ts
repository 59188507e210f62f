import { innCheckDigits } from '../../src/domain/identifiers.ts';

/**
 * Checksum-valid INNs the emulator answers with synthetic companies (first two digits = a real region code).
 * `legalEntityInns(250, 1)` gives 250 distinct organisations; different seeds give disjoint sets.
 */
export function legalEntityInns(count: number, seed = 1): string[] {
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = `77${String(seed).padStart(2, '0')}${String(i).padStart(5, '0')}`;
    result.push(prefix + innCheckDigits(prefix));
  }
  return result;
}

export function soleProprietorInns(count: number, seed = 1): string[] {
  const result: string[] = [];
  for (let i = 0; i < count; i++) {
    const prefix = `50${String(seed).padStart(2, '0')}${String(i).padStart(6, '0')}`;
    result.push(prefix + innCheckDigits(prefix));
  }
  return result;
}

/** A checksum-valid INN the registry does not know (region 00 does not exist). */
export function unknownInn(i = 0): string {
  const prefix = `00${String(i).padStart(7, '0')}`;
  return prefix + innCheckDigits(prefix);
}
