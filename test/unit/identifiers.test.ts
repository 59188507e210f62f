import { describe, expect, it } from 'vitest';
import { innCheckDigits, innKind, innProblem, isValidInn, isValidOgrn, ogrnProblem } from '../../src/domain/identifiers.ts';

describe('INN and OGRN checksums', () => {
  it.each(['6663003127', '7736050003', '4401006984', '366512608416', '773400211252'])('accepts the real INN %s', (inn) => {
    expect(isValidInn(inn)).toBe(true);
  });

  it.each(['1026605606620', '1027700070518', '305366536400023', '5077746725964'])('accepts the real OGRN %s', (ogrn) => {
    expect(isValidOgrn(ogrn)).toBe(true);
  });

  it('rejects a wrong check digit, wrong lengths and non-digits, and says why', () => {
    expect(innProblem('6663003128')).toBe('check digit does not match');
    expect(innProblem('66630031')).toBe('must have 10 digits (organisation) or 12 digits (sole proprietor or person)');
    expect(innProblem('66630O3127')).toBe('must contain digits only');
    expect(innProblem('6663003127')).toBeNull();
    expect(ogrnProblem('1026605606621')).toBe('check digit does not match');
    expect(ogrnProblem('10266056066')).toBe('must have 13 digits (OGRN) or 15 digits (OGRNIP)');
  });

  it('computes check digits for 10- and 12-digit INNs', () => {
    expect(innCheckDigits('666300312')).toBe('7');
    expect(innCheckDigits('3665126084')).toBe('16');
  });

  it('tells organisations from sole proprietors by length', () => {
    expect(innKind('6663003127')).toBe('LEGAL_ENTITY');
    expect(innKind('366512608416')).toBe('SOLE_PROPRIETOR');
  });
});
