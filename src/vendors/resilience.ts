import CircuitBreaker from 'opossum';
import { Agent } from 'undici';
import type { BreakerSettings } from '../config/env.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';

/**
 * What every vendor client shares: one keep-alive pool, a circuit breaker with its state in metrics, full-jitter
 * backoff, the retryable connection errors, and Retry-After parsing. Each client keeps its own rules of what to
 * retry and what counts against the breaker.
 */

/** Connection errors worth a retry (the request never reached, or never left, the vendor). */
export const RETRY_ERROR_CODES = [
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
];

const BACKOFF_BASE_MS = 200;
const BACKOFF_CAP_MS = 2_000;

export type VendorBreaker = CircuitBreaker<[() => Promise<unknown>], unknown>;

/** A keep-alive pool whose connect, headers and body timeouts stay within one call's budget. */
export function vendorAgent(connections: number, timeoutMs: number): Agent {
  return new Agent({
    connections,
    keepAliveTimeout: 30_000,
    connectTimeout: Math.min(timeoutMs, 5_000),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
}

/**
 * A circuit breaker for one vendor: calls pass as thunks (`breaker.fire(run)`); the state goes to the
 * vendor_circuit_state metric and a log line. opossum opens when failures exceed (not reach) the percentage.
 */
export function vendorBreaker(options: {
  vendor: string;
  displayName: string;
  settings: BreakerSettings;
  metrics: Metrics;
  logger: Logger;
  /** Errors that do not say the vendor is down (a rejected key, a 429, a refused request). */
  isNotAFailure: (error: unknown) => boolean;
}): VendorBreaker {
  const { settings, metrics, logger, vendor } = options;
  const breaker = new CircuitBreaker(async (run: () => Promise<unknown>) => run(), {
    timeout: false, // each call has its own deadline
    errorThresholdPercentage: settings.errorPercent,
    volumeThreshold: settings.minCalls,
    rollingCountTimeout: settings.windowMs,
    resetTimeout: settings.resetMs,
    errorFilter: options.isNotAFailure,
  });
  const state = (value: number, name: string) => () => {
    metrics.breakerState.set({ vendor }, value);
    logger.warn({ vendor, circuit: name }, `${options.displayName} circuit ${name}`);
  };
  breaker.on('open', state(2, 'open'));
  breaker.on('halfOpen', state(1, 'half-open'));
  breaker.on('close', state(0, 'closed'));
  metrics.breakerState.set({ vendor }, 0);
  return breaker;
}

/** Full-jitter exponential backoff for the given retry (1, 2, …). */
export function backoffMs(attempt: number): number {
  return Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
}

/** Whether a failed attempt (as undici's retry interceptor reports it) may be retried. */
export function isRetryable(error: Error, statusCodes: readonly number[]): boolean {
  const { statusCode, code } = error as Error & { statusCode?: number; code?: string };
  return statusCode !== undefined ? statusCodes.includes(statusCode) : RETRY_ERROR_CODES.includes(code ?? '');
}

/** Retry-After in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
