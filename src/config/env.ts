import { z } from 'zod';
import { registerSecret } from '../observability/redaction.ts';

/**
 * The building blocks of every module's environment variables: durations, rate limits, sizes, credentials and
 * circuit-breaker settings, each refusing a bad value with a message that names what is wrong.
 */

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "15m", "24h", "2d", "500ms"; a bare number means seconds. */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration (examples: 500ms, 90s, 15m, 24h, 2d)`);
  const unit = (match[2] ?? 's') as keyof typeof UNIT_MS;
  return Math.round(Number(match[1]) * UNIT_MS[unit]);
}

const RATE_UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  d: 86_400_000,
  day: 86_400_000,
};
const RATE = /^(\d+)\s*\/\s*(\d*)\s*(s|sec|m|min|h|hour|d|day)$/i;

export interface RateLimit {
  calls: number;
  windowMs: number;
}

/** A rate limit like `10/min`, `60/h`, `5/s` or `10/90s` (calls per window). */
export function parseRateLimit(text: string): RateLimit {
  const match = RATE.exec(text.trim());
  const calls = Number(match?.[1]);
  const windowMs = Number(match?.[2] || 1) * (RATE_UNIT_MS[match?.[3]?.toLowerCase() ?? ''] ?? NaN);
  if (!match || !(calls > 0) || !(windowMs > 0)) throw new Error(`"${text}" is not a rate limit (examples: 10/min, 60/h, 5/s, 10/90s)`);
  return { calls, windowMs };
}

export const emptyAsUndefined = (value: unknown): unknown => (value === '' ? undefined : value);

/** A duration in milliseconds; zero is refused unless allowed (a zero timeout or TTL would mean "never" below). */
export const duration = (fallback: string, { allowZero = false } = {}) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        const ms = parseDuration(value);
        if (ms === 0 && !allowZero) {
          ctx.addIssue({ code: 'custom', message: `must be longer than 0 (got "${value}")` });
          return z.NEVER;
        }
        return ms;
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/** A duration that may be left unset (empty = unset). */
export const optionalDuration = () => z.preprocess(emptyAsUndefined, duration('0s').optional());

export const rateLimit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      try {
        return parseRateLimit(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
export const optionalPositiveInt = () => z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().optional());
export const retries = (fallback = 2) => z.coerce.number().int().min(0).max(5).default(fallback);
export const optionalString = () => z.preprocess(emptyAsUndefined, z.string().optional());
/** An http(s) base URL, its trailing slashes dropped. */
export const baseUrl = (fallback: string) =>
  z.preprocess(emptyAsUndefined, z.url().default(fallback)).transform((url) => url.replace(/\/+$/, ''));

const SIZE_UNITS = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 } as const;
/** A size like 512kb, 256mb or 1gb, in bytes. */
export const size = (fallback: string) =>
  z
    .string()
    .regex(/^\d+(b|kb|mb|gb)$/i, 'a size like 512kb, 256mb or 1gb')
    .default(fallback)
    .transform((value) => {
      const unit = /(kb|mb|gb|b)$/i.exec(value)![1]!.toLowerCase() as keyof typeof SIZE_UNITS;
      return Number.parseInt(value, 10) * SIZE_UNITS[unit];
    });

/**
 * A credential: unset when empty; refused when it is only whitespace or has whitespace at its ends (a secret of 16
 * spaces, or one pasted with a newline, is a deployment mistake, never a secret), or is shorter than `min`. A value
 * that passes is registered for redaction: it is removed from every text that leaves the process.
 */
export const secret = (name: string, min = 1) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .superRefine((value, ctx) => {
        const problem =
          value.trim() === ''
            ? `${name} is blank (only whitespace); set a real value or leave it unset`
            : value.trim() !== value
              ? `${name} has whitespace at its start or end; remove it`
              : value.length < min
                ? `${name} must have at least ${min} characters`
                : undefined;
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .transform((value) => {
        registerSecret(value);
        return value;
      })
      .optional(),
  );

/** THE settings of one vendor's circuit breaker (from breakerEnv, read by the HTTP core's breaker). */
export interface BreakerSettings {
  errorPercent: number;
  minCalls: number;
  windowMs: number;
  resetMs: number;
}

/** `<prefix>_<name>` with its literal type: the one place a variable name is computed. */
function prefixed<P extends string, N extends string, S>(prefix: P, name: N, schema: S): Record<`${P}_${N}`, S> {
  return { [`${prefix}_${name}`]: schema } as Record<`${P}_${N}`, S>;
}

/**
 * `<PREFIX>_BREAKER_ERROR_PERCENT`, `_MIN_CALLS`, `_WINDOW`, `_RESET`: one circuit breaker per vendor. It opens when
 * more than that share of at least that many calls in the rolling window failed; after the reset time one probe call
 * is let through (half-open).
 */
export function breakerEnv<P extends string>(prefix: P) {
  return {
    ...prefixed(prefix, 'BREAKER_ERROR_PERCENT', z.coerce.number().int().min(1).max(100).default(50)),
    ...prefixed(prefix, 'BREAKER_MIN_CALLS', positiveInt(5)),
    ...prefixed(prefix, 'BREAKER_WINDOW', duration('30s')),
    ...prefixed(prefix, 'BREAKER_RESET', duration('30s')),
  };
}

/** The parsed variables breakerEnv(prefix) declares. */
export type BreakerVariables<P extends string> = Record<
  `${P}_BREAKER_ERROR_PERCENT` | `${P}_BREAKER_MIN_CALLS` | `${P}_BREAKER_WINDOW` | `${P}_BREAKER_RESET`,
  number
>;

/** The breaker settings out of the variables breakerEnv(prefix) declared: a prefix it did not declare does not compile. */
export function breakerOf<P extends string>(env: BreakerVariables<P>, prefix: P): BreakerSettings {
  return {
    errorPercent: env[`${prefix}_BREAKER_ERROR_PERCENT` as const],
    minCalls: env[`${prefix}_BREAKER_MIN_CALLS` as const],
    windowMs: env[`${prefix}_BREAKER_WINDOW` as const],
    resetMs: env[`${prefix}_BREAKER_RESET` as const],
  };
}

/** The parsed variables of a shape: what a module's `config` receives. */
export type EnvOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>;

export class ConfigError extends Error {}
