import { baseUrl, breakerEnv, breakerOf, duration, rateLimit, retries, secret, type EnvOf } from '../../config/env.ts';

/** T-Bank business API, counterparty check (T-API): TBANK_* (see README, Configuration). */
export const tbankEnv = {
  /** The token, sent only as `Authorization: Bearer`; unset: T-Bank is off (the sandbox starts its emulator). */
  TBANK_TOKEN: secret('TBANK_TOKEN'),
  TBANK_BASE_URL: baseUrl('https://business.tbank.ru/openapi'),
  /** At most this many calls in any window of that length, per process, retries included. */
  TBANK_RATE_LIMIT: rateLimit('10/min'),
  /** How long a call may wait for the rate limiter before failing with VENDOR_RATE_LIMITED. */
  TBANK_MAX_WAIT: duration('5s', { allowZero: true }),
  TBANK_TIMEOUT: duration('10s'),
  TBANK_RETRIES: retries(),
  ...breakerEnv('TBANK'),
};

export function tbankConfig(e: EnvOf<typeof tbankEnv>) {
  return {
    /** undefined = T-Bank not configured. */
    token: e.TBANK_TOKEN,
    baseUrl: e.TBANK_BASE_URL,
    rateLimit: e.TBANK_RATE_LIMIT,
    maxWaitMs: e.TBANK_MAX_WAIT,
    timeoutMs: e.TBANK_TIMEOUT,
    retries: e.TBANK_RETRIES,
    breaker: breakerOf(e, 'TBANK'),
  };
}

export type TbankConfig = ReturnType<typeof tbankConfig>;
