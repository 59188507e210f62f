import { describe, expect, it } from 'vitest';
import { cutText, echoInput, redact, registerSecret, vendorDetail, vendorText, vendorToken } from '../../src/observability/redaction.ts';

const SECRET = 'unitSECRET-abcdefghijklmnopqrstuv';
registerSecret(SECRET);

describe('redaction at the edge', () => {
  it('masks a whole secret, any run of 8+ of its characters anywhere, URL credentials, bearer values and card numbers', () => {
    expect(redact(`key ${SECRET} end`)).toBe('key *** end');
    expect(redact(`token ${SECRET.slice(0, 20)} was refused`)).toBe('token *** was refused');
    expect(redact(`middle ${SECRET.slice(5, 15)} piece`)).toBe('middle *** piece');
    expect(redact(`ends with ${SECRET.slice(0, 8)}`)).toBe('ends with ***');
    expect(redact(`${SECRET.slice(-9)} starts it`)).toBe('*** starts it');
    // Seven characters of it are not enough to mask (they would match ordinary text).
    expect(redact(`short ${SECRET.slice(0, 7)} stays`)).toBe(`short ${SECRET.slice(0, 7)} stays`);
    expect(redact('GET /api3/req?inn=1&key=abc&x=1 (Bearer tok123)')).toBe('GET /api3/req?inn=1&key=***&x=1 (Bearer ***)');
    expect(redact('card 4111111111111111 paid, again 4111 1111 1111 1111')).toBe('card •••• 1111 paid, again •••• 1111');
    // Registry numbers are not cards: an OGRN (13) and an OGRNIP (15) stay readable.
    expect(redact('OGRN 1026605606620, OGRNIP 305366536400023')).toBe('OGRN 1026605606620, OGRNIP 305366536400023');
  });

  it('cuts after redacting, so a cut never leaves part of a secret behind', () => {
    const text = `${'x'.repeat(190)}${SECRET}`;
    expect(vendorText(text, 200)).toBe(`${'x'.repeat(190)}***`);
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(echoInput('7'.repeat(100))).toBe(`${'7'.repeat(39)}…`);
  });

  it('passes a vendor token only when it is token-shaped and holds no secret', () => {
    expect(vendorToken('INVALID_PARAMS')).toBe('INVALID_PARAMS');
    expect(vendorToken(`E-${SECRET.slice(0, 12)}-x`)).toBeUndefined();
    expect(vendorToken('has space')).toBeUndefined();
    expect(vendorToken('x'.repeat(65))).toBeUndefined();
  });

  it('passes vendor text one way for every vendor: redacted, control characters dropped, long digit chains masked, then cut', () => {
    expect(vendorDetail(`ИНН 7736050003, тел. +7 916 123-45-67,\nключ ${SECRET}`)).toBe('ИНН #, тел. +#, ключ ***');
    expect(vendorDetail('дата 2024-01-15, код 123456789')).toBe('дата 2024-01-15, код 123456789');
    expect(vendorDetail(`${'x'.repeat(190)}${SECRET}${'y'.repeat(20)}`)).toBe(`${'x'.repeat(190)}***yyyyyy…`);
    expect(vendorDetail('abcdef', 4)).toBe('abc…');
    expect(vendorDetail(' \n ')).toBeUndefined();
    expect(vendorDetail(42)).toBeUndefined();
  });
});
