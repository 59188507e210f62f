import { baseUrl, breakerEnv, breakerOf, duration, positiveInt, retries, secret, type EnvOf } from '../../config/env.ts';

/** Kontur.Focus API 3.0: FOCUS_* (see README, Configuration). */
export const focusEnv = {
  /** The key; unset: sandbox mode on the bundled emulator (not in production), or T-Bank alone when TBANK_TOKEN is set. */
  FOCUS_API_KEY: secret('FOCUS_API_KEY'),
  FOCUS_BASE_URL: baseUrl('https://focus-api.kontur.ru/api3'),
  /** Calls in flight at once per process; batches, pages, documents and usage share them. */
  FOCUS_MAX_CONCURRENCY: positiveInt(4),
  /** Lookups that may wait for a slot; past it new ones are shed with VENDOR_RATE_LIMITED and no call. */
  FOCUS_MAX_QUEUE: positiveInt(5_000),
  /** Budget of one call, retries included. */
  FOCUS_TIMEOUT: duration('10s'),
  FOCUS_RETRIES: retries(),
  ...breakerEnv('FOCUS'),
};

export function focusConfig(e: EnvOf<typeof focusEnv>) {
  return {
    /** undefined = not configured (sandbox mode points it at the emulator). */
    apiKey: e.FOCUS_API_KEY,
    baseUrl: e.FOCUS_BASE_URL,
    maxConcurrency: e.FOCUS_MAX_CONCURRENCY,
    maxQueue: e.FOCUS_MAX_QUEUE,
    timeoutMs: e.FOCUS_TIMEOUT,
    retries: e.FOCUS_RETRIES,
    breaker: breakerOf(e, 'FOCUS'),
  };
}

export type FocusConfig = ReturnType<typeof focusConfig>;
