import { createHash, timingSafeEqual } from 'node:crypto';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Whether a caller's secret (a header, a form field: anything) is the configured one, in constant time. Both are
 * compared as digests, so neither the time nor an early length check tells how long the secret is.
 */
export function sameSecret(given: unknown, expected: string): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), digest(expected));
}
