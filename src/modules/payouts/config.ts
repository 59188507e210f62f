import { z } from 'zod';
import {
  baseUrl,
  breakerEnv,
  breakerOf,
  duration,
  optionalPositiveInt,
  positiveInt,
  retries,
  secret,
  type EnvOf,
} from '../../config/env.ts';

const atLeastAMinute = 'must be at least 1m: Jump.Finance allows one status read per payout per minute';

/** Jump.Finance payouts: JUMP_*, PAYOUT_GUARD, AUTH_SCOPES_HEADER (see README, Configuration). */
export const payoutsEnv = {
  /** Sent only as the Client-Key header. Unset: the bundled emulator (not in production). Needs ROUTER_SECRET. */
  JUMP_API_KEY: secret('JUMP_API_KEY'),
  JUMP_BASE_URL: baseUrl('https://api.jump.finance/services/openapi'),
  JUMP_TIMEOUT: duration('10s'),
  JUMP_RETRIES: retries(),
  JUMP_MAX_CONCURRENCY: positiveInt(4),
  ...breakerEnv('JUMP'),
  /** Default legal entity (agent_id) and contractor group of new contractors; unset = the vendor's only one / default. */
  JUMP_AGENT_ID: optionalPositiveInt(),
  JUMP_GROUP_ID: optionalPositiveInt(),
  /** A payout that is not final is read again at most this often (the vendor allows once a minute per payout). */
  JUMP_STATUS_REFRESH: duration('1m').refine((ms) => ms >= 60_000, atLeastAMinute),
  /** The same for payouts waiting for a person: awaiting confirmation in the cabinet, or a payout error. */
  JUMP_STATUS_REFRESH_ACTION_NEEDED: duration('15m').refine((ms) => ms >= 60_000, atLeastAMinute),
  CACHE_TTL_FINAL_PAYMENTS: duration('30d'),
  CACHE_TTL_CONTRACTORS: duration('10m'),
  /** Counterparty check before a payout: off, warn (findings attached to the result) or block (refused). */
  PAYOUT_GUARD: z.enum(['off', 'warn', 'block']).default('warn'),
  /** The header the router sets with the validated user's scopes (space- or comma-separated). */
  AUTH_SCOPES_HEADER: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name, e.g. x-user-scopes')
    .default('x-user-scopes')
    .transform((value) => value.toLowerCase()),
};

export function payoutsConfig(e: EnvOf<typeof payoutsEnv>) {
  return {
    /** undefined = not configured (sandbox mode starts the emulator, except in production). */
    apiKey: e.JUMP_API_KEY,
    baseUrl: e.JUMP_BASE_URL,
    timeoutMs: e.JUMP_TIMEOUT,
    retries: e.JUMP_RETRIES,
    maxConcurrency: e.JUMP_MAX_CONCURRENCY,
    breaker: breakerOf(e, 'JUMP'),
    agentId: e.JUMP_AGENT_ID,
    groupId: e.JUMP_GROUP_ID,
    statusRefreshMs: e.JUMP_STATUS_REFRESH,
    actionNeededRefreshMs: e.JUMP_STATUS_REFRESH_ACTION_NEEDED,
    finalPaymentsTtlMs: e.CACHE_TTL_FINAL_PAYMENTS,
    contractorsTtlMs: e.CACHE_TTL_CONTRACTORS,
    guard: e.PAYOUT_GUARD,
    scopesHeader: e.AUTH_SCOPES_HEADER,
  };
}

export type PayoutsConfig = ReturnType<typeof payoutsConfig>;
