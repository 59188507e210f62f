/**
 * Money as exact kopecks (bigint) and decimal text. Jump.Finance sends and takes rubles as JSON numbers with kopecks
 * as decimals (`14.8`); the client parses its JSON losslessly (json.ts), so a sum travels as the digits the vendor
 * wrote, through bigint kopecks, to the two-decimal text the graph serves ("14.80"). It never becomes a binary float.
 */

const NUMBER_TEXT = /^([+-])?(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** Exponents past this are not money (and 10n ** huge would hang). */
const MAX_EXPONENT = 30;

export type KopecksResult = { ok: true; kopecks: bigint } | { ok: false; reason: 'not-a-number' | 'too-precise' };

/**
 * The exact kopecks of a decimal number written as text ("100", "100.1", "100.10", "1e2", "-5.5").
 * `exact`: more than two significant decimals is `too-precise`; `round`: rounded half away from zero to kopecks.
 */
export function kopecksOf(text: string, mode: 'exact' | 'round' = 'exact'): KopecksResult {
  const match = NUMBER_TEXT.exec(text.trim());
  if (!match) return { ok: false, reason: 'not-a-number' };
  const [, sign, whole, fraction = '', exponentText] = match;
  const exponent = Number(exponentText ?? 0);
  if (!Number.isInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) return { ok: false, reason: 'not-a-number' };
  const digits = BigInt(`${whole}${fraction}` || '0');
  // value = digits × 10^(exponent − fraction.length); kopecks = value × 100.
  const scale = exponent - fraction.length + 2;
  let kopecks: bigint;
  if (scale >= 0) {
    kopecks = digits * 10n ** BigInt(scale);
  } else {
    const divisor = 10n ** BigInt(-scale);
    const quotient = digits / divisor;
    const remainder = digits % divisor;
    if (remainder !== 0n && mode === 'exact') return { ok: false, reason: 'too-precise' };
    kopecks = quotient + (remainder * 2n >= divisor ? 1n : 0n);
  }
  return { ok: true, kopecks: sign === '-' ? -kopecks : kopecks };
}

/** "100.10": rubles with exactly two decimals. */
export function formatKopecks(kopecks: bigint): string {
  const negative = kopecks < 0n;
  const abs = negative ? -kopecks : kopecks;
  return `${negative ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** The shortest decimal text of a sum, as the vendor writes JSON numbers: "100", "100.1", "14.85". */
export function minimalKopecksText(kopecks: bigint): string {
  return formatKopecks(kopecks)
    .replace(/\.00$/, '')
    .replace(/(\.\d)0$/, '$1');
}

/** Two-decimal text of any decimal text, rounding extra decimals half away from zero; undefined when not a number. */
export function canonicalMoney(text: string): string | undefined {
  const parsed = kopecksOf(text, 'round');
  return parsed.ok ? formatKopecks(parsed.kopecks) : undefined;
}
