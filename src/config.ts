import { z } from 'zod';
import { registerSecret } from './observability/redaction.ts';

/**
 * Every environment variable the subgraph reads, validated in one place.
 * A bad value stops the start with a message naming the variable, never with a half-configured server.
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

const RATE_UNIT_MS: Record<string, number> = { s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000, hour: 3_600_000, d: 86_400_000, day: 86_400_000 };
const RATE = /^(\d+)\s*\/\s*(\d*)\s*(s|sec|m|min|h|hour|d|day)$/i;

/** A rate limit like `10/min`, `60/h`, `5/s` or `10/90s` (calls per window). */
export function parseRateLimit(text: string): { calls: number; windowMs: number } {
  const match = RATE.exec(text.trim());
  const calls = Number(match?.[1]);
  const windowMs = Number(match?.[2] || 1) * (RATE_UNIT_MS[match?.[3]?.toLowerCase() ?? ''] ?? NaN);
  if (!match || !(calls > 0) || !(windowMs > 0)) throw new Error(`"${text}" is not a rate limit (examples: 10/min, 60/h, 5/s, 10/90s)`);
  return { calls, windowMs };
}

/** A duration; zero is refused unless allowed (a zero timeout or TTL would mean "never" to the libraries below). */
const duration = (fallback: string, { allowZero = false } = {}) =>
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

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/**
 * A credential: unset when empty; refused when it is only whitespace or has whitespace at its ends (a secret of 16
 * spaces, or one pasted with a newline, is a deployment mistake, never a secret), or is shorter than `min`.
 */
const secret = (name: string, min = 1) =>
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
      .optional(),
  );

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The subgraph's URL as browsers reach it (e.g. https://counterparty.example.ru): document links are absolute when set. */
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) URL, e.g. https://counterparty.example.ru' }).optional(),
  ),

  FOCUS_API_KEY: secret('FOCUS_API_KEY'),
  FOCUS_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://focus-api.kontur.ru/api3')),
  FOCUS_MAX_CONCURRENCY: positiveInt(4),
  /**
   * Identifiers (and single-key fetches) that may wait for a Kontur.Focus slot at once; past it new lookups are shed
   * with VENDOR_RATE_LIMITED and a retryAfterSeconds, without a call.
   */
  FOCUS_MAX_QUEUE: positiveInt(5_000),
  /** refreshCompany refetches an INN at most once in this interval; inside it the fresh cached data answers. */
  REFRESH_MIN_INTERVAL: duration('1m', { allowZero: true }),
  FOCUS_TIMEOUT: duration('10s'),
  FOCUS_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  /** Circuit breaker per vendor: opens when this percentage of calls in the rolling window failed… */
  FOCUS_BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
  /** …and at least this many calls were made in the window; */
  FOCUS_BREAKER_MIN_CALLS: positiveInt(5),
  /** the window's length; */
  FOCUS_BREAKER_WINDOW: duration('30s'),
  /** after this long open, one probe call is let through (half-open). */
  FOCUS_BREAKER_RESET: duration('30s'),
  /** Latency the sandbox emulator adds to each answer, to make batching visible. */
  SANDBOX_LATENCY: duration('0ms', { allowZero: true }),

  /** T-Bank counterparty check (T-API): enabled by a token, sent as `Authorization: Bearer`. */
  TBANK_TOKEN: secret('TBANK_TOKEN'),
  TBANK_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://business.tbank.ru/openapi')),
  /** Client-side limit of T-Bank calls, shared by the process: at most this many calls in any window of that length. */
  TBANK_RATE_LIMIT: z
    .string()
    .default('10/min')
    .transform((value, ctx) => {
      try {
        return parseRateLimit(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** How long a T-Bank call may wait for the rate limiter before failing with VENDOR_RATE_LIMITED. */
  TBANK_MAX_WAIT: duration('5s', { allowZero: true }),
  TBANK_TIMEOUT: duration('10s'),
  TBANK_RETRIES: z.coerce.number().int().min(0).max(5).default(2),

  CACHE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'CACHE_URL must be a redis:// or rediss:// URL (leave it unset for the in-memory cache)')
      .optional(),
  ),
  /** Key prefix in the store: replicas of one deployment share it; staging and production sharing a Redis must not. */
  CACHE_NAMESPACE: z.string().regex(/^[\w.-]+$/, 'letters, digits, "_", "." and "-" only').default('counterparty-subgraph'),
  /** Bounded: the LRU preallocates its index for this many entries. */
  CACHE_MAX_ENTRIES: z.coerce.number().int().positive().max(1_000_000, 'CACHE_MAX_ENTRIES must be at most 1000000 (use CACHE_MAX_MEMORY to bound by size)').default(100_000),
  /** Memory bound of the in-memory cache (purchase pages and PDFs are large), e.g. 256mb, 1gb. */
  CACHE_MAX_MEMORY: z
    .string()
    .regex(/^\d+(kb|mb|gb)$/i, 'a size like 512mb or 1gb')
    .default('256mb')
    .transform((value) => Number.parseInt(value, 10) * { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[value.slice(-2).toLowerCase() as 'kb' | 'mb' | 'gb']),
  CACHE_TTL_REQUISITES: duration('24h'),
  CACHE_TTL_STATUS: duration('1h'),
  CACHE_TTL_NOT_FOUND: duration('1h'),
  /** Pages of proceedings and purchases. */
  CACHE_TTL_LISTS: duration('12h'),
  /** PDF documents (excerpt, financial analysis, express report); their bytes are cached in the configured store. */
  CACHE_TTL_DOCUMENTS: duration('24h'),
  /** How long a document link the graph hands out stays valid. */
  DOCUMENT_URL_TTL: duration('10m'),
  /** HMAC key of document links; random per process when unset (then links only work on the replica that made them). */
  DOCUMENT_SIGNING_SECRET: secret('DOCUMENT_SIGNING_SECRET', 16),
  /** When set (e.g. 1h), a background job pulls Kontur.Focus change lists and evicts changed companies from the cache. */
  FOCUS_MONITORING_INTERVAL: z.preprocess(emptyAsUndefined, duration('1h').optional()),
  /** When the vendor fails, an expired entry younger than this is served (marked stale) instead of an error. */
  CACHE_STALE_IF_ERROR: duration('24h', { allowZero: true }),

  /** When set, GraphQL requests must carry `router-authorization: <secret>` (the router adds it). */
  ROUTER_SECRET: secret('ROUTER_SECRET', 16),
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  METRICS_TOKEN: secret('METRICS_TOKEN', 8),
  /** Browser origins allowed to call /graphql directly, comma-separated (e.g. the website's registration form). */
  CORS_ORIGINS: z.preprocess(emptyAsUndefined, z.string().optional()),
  /** GraphiQL and introspection: on by default in sandbox and development, off in production unless GRAPHIQL=on. */
  GRAPHIQL: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).optional()),

  /** Risk policy file (JSON or YAML); unset = the documented defaults. A bad policy stops the start. */
  RISK_POLICY_PATH: z.preprocess(emptyAsUndefined, z.string().optional()),

  /** Jump.Finance payouts: the key is sent only as the Client-Key header. Unset: the bundled emulator (not in production). */
  JUMP_API_KEY: secret('JUMP_API_KEY'),
  JUMP_BASE_URL: z.preprocess(emptyAsUndefined, z.url().default('https://api.jump.finance/services/openapi')),
  JUMP_TIMEOUT: duration('10s'),
  JUMP_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  JUMP_MAX_CONCURRENCY: positiveInt(4),
  /** Default legal entity (agent_id) and contractor group of new contractors; unset = the vendor's only one / default. */
  JUMP_AGENT_ID: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().optional()),
  JUMP_GROUP_ID: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().optional()),
  /** A payout that is not final is read again at most this often (the vendor allows once a minute per payout). */
  JUMP_STATUS_REFRESH: duration('1m').refine((ms) => ms >= 60_000, 'must be at least 1m: Jump.Finance allows one status read per payout per minute'),
  /** The same for payouts waiting for a person: awaiting confirmation in the cabinet, or a payout error. */
  JUMP_STATUS_REFRESH_ACTION_NEEDED: duration('15m').refine((ms) => ms >= 60_000, 'must be at least 1m: Jump.Finance allows one status read per payout per minute'),
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
  /**
   * Deadline of one GraphQL operation, time waiting for a vendor slot included: past it, what is still missing
   * answers VENDOR_TIMEOUT and the rest of the answer is sent.
   */
  OPERATION_TIMEOUT: duration('15s'),
  /** How long SIGTERM waits for in-flight operations before closing their connections; default OPERATION_TIMEOUT + 5s. */
  SHUTDOWN_GRACE: z.preprocess(emptyAsUndefined, duration('20s').optional()),
  MAX_VENDOR_CALLS_PER_OPERATION: positiveInt(50),
  MAX_QUERY_DEPTH: positiveInt(12),
  MAX_QUERY_ALIASES: positiveInt(30),
  MAX_QUERY_TOKENS: positiveInt(10_000),
  MAX_REQUEST_BODY: z.string().regex(/^\d+(b|kb|mb)$/i, 'a size like 512kb or 1mb').default('1mb'),
});

export type Env = z.input<typeof EnvSchema>;

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  logLevel: string;
  focus: {
    apiKey: string | undefined;
    baseUrl: string;
    maxConcurrency: number;
    /** FOCUS_MAX_QUEUE: lookups waiting for a slot past which new ones are shed. */
    maxQueue: number;
    timeoutMs: number;
    retries: number;
    breaker: { errorPercent: number; minCalls: number; windowMs: number; resetMs: number };
    /** REFRESH_MIN_INTERVAL: one forced refresh per INN in this interval. */
    refreshMinIntervalMs: number;
  };
  sandboxLatencyMs: number;
  /** OPERATION_TIMEOUT and SHUTDOWN_GRACE. */
  operation: { timeoutMs: number; shutdownGraceMs: number };
  tbank: {
    /** undefined = T-Bank not configured (sandbox mode starts the emulator when FOCUS_API_KEY is unset too). */
    token: string | undefined;
    baseUrl: string;
    rateLimit: { calls: number; windowMs: number };
    maxWaitMs: number;
    timeoutMs: number;
    retries: number;
  };
  access: {
    routerSecret: string | undefined;
    metricsToken: string | undefined;
    corsOrigins: string[];
    /** undefined = decided by mode (on in sandbox and development). */
    graphiql: boolean | undefined;
  };
  limits: {
    maxVendorCallsPerOperation: number;
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxBodySize: string;
  };
  cache: {
    url: string | undefined;
    namespace: string;
    maxEntries: number;
    maxMemoryBytes: number;
    ttl: { requisitesMs: number; statusMs: number; notFoundMs: number };
    staleIfErrorMs: number;
    listsTtlMs: number;
    documentsTtlMs: number;
  };
  documents: {
    urlTtlMs: number;
    signingSecret: string | undefined;
    /** Origin (and path prefix) document links start with; undefined = root-relative links (/documents/…). */
    publicUrl: string | undefined;
  };
  monitoring: { intervalMs: number | undefined };
  risk: { policyPath: string | undefined };
  jump: {
    /** undefined = not configured (sandbox mode starts the emulator, except in production). */
    apiKey: string | undefined;
    baseUrl: string;
    timeoutMs: number;
    retries: number;
    maxConcurrency: number;
    agentId: number | undefined;
    groupId: number | undefined;
    statusRefreshMs: number;
    actionNeededRefreshMs: number;
    finalPaymentsTtlMs: number;
    contractorsTtlMs: number;
  };
  payouts: { guard: 'off' | 'warn' | 'block'; scopesHeader: string };
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  // Every credential read here is removed from any text that leaves the process (errors, logs, metrics).
  for (const secret of [e.FOCUS_API_KEY, e.TBANK_TOKEN, e.JUMP_API_KEY, e.ROUTER_SECRET, e.METRICS_TOKEN, e.DOCUMENT_SIGNING_SECRET]) registerSecret(secret);
  // Payout mutations trust the scope header the router sets: with a real Jump.Finance key — in every mode, development
  // included — only the router may reach the subgraph, or anyone could send `x-user-scopes: payouts:write` and move
  // money. The sandbox (JUMP_API_KEY unset: the bundled emulator with a random key) is the only exception.
  if (e.JUMP_API_KEY && !e.ROUTER_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  ROUTER_SECRET: required when JUMP_API_KEY is set, whatever NODE_ENV is (payout mutations trust the router\'s scope header)',
    );
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    focus: {
      apiKey: e.FOCUS_API_KEY,
      baseUrl: e.FOCUS_BASE_URL.replace(/\/+$/, ''),
      maxConcurrency: e.FOCUS_MAX_CONCURRENCY,
      maxQueue: e.FOCUS_MAX_QUEUE,
      refreshMinIntervalMs: e.REFRESH_MIN_INTERVAL,
      timeoutMs: e.FOCUS_TIMEOUT,
      retries: e.FOCUS_RETRIES,
      breaker: {
        errorPercent: e.FOCUS_BREAKER_ERROR_PERCENT,
        minCalls: e.FOCUS_BREAKER_MIN_CALLS,
        windowMs: e.FOCUS_BREAKER_WINDOW,
        resetMs: e.FOCUS_BREAKER_RESET,
      },
    },
    sandboxLatencyMs: e.SANDBOX_LATENCY,
    operation: { timeoutMs: e.OPERATION_TIMEOUT, shutdownGraceMs: e.SHUTDOWN_GRACE ?? e.OPERATION_TIMEOUT + 5_000 },
    tbank: {
      token: e.TBANK_TOKEN,
      baseUrl: e.TBANK_BASE_URL.replace(/\/+$/, ''),
      rateLimit: e.TBANK_RATE_LIMIT,
      maxWaitMs: e.TBANK_MAX_WAIT,
      timeoutMs: e.TBANK_TIMEOUT,
      retries: e.TBANK_RETRIES,
    },
    access: {
      routerSecret: e.ROUTER_SECRET,
      metricsToken: e.METRICS_TOKEN,
      corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
      graphiql: e.GRAPHIQL === undefined ? undefined : e.GRAPHIQL === 'on',
    },
    limits: {
      maxVendorCallsPerOperation: e.MAX_VENDOR_CALLS_PER_OPERATION,
      maxDepth: e.MAX_QUERY_DEPTH,
      maxAliases: e.MAX_QUERY_ALIASES,
      maxTokens: e.MAX_QUERY_TOKENS,
      maxBodySize: e.MAX_REQUEST_BODY,
    },
    cache: {
      url: e.CACHE_URL,
      namespace: e.CACHE_NAMESPACE,
      maxMemoryBytes: e.CACHE_MAX_MEMORY,
      maxEntries: e.CACHE_MAX_ENTRIES,
      ttl: {
        requisitesMs: e.CACHE_TTL_REQUISITES,
        statusMs: e.CACHE_TTL_STATUS,
        notFoundMs: e.CACHE_TTL_NOT_FOUND,
      },
      staleIfErrorMs: e.CACHE_STALE_IF_ERROR,
      listsTtlMs: e.CACHE_TTL_LISTS,
      documentsTtlMs: e.CACHE_TTL_DOCUMENTS,
    },
    documents: { urlTtlMs: e.DOCUMENT_URL_TTL, signingSecret: e.DOCUMENT_SIGNING_SECRET, publicUrl: e.PUBLIC_URL?.replace(/\/+$/, '') },
    monitoring: { intervalMs: e.FOCUS_MONITORING_INTERVAL },
    risk: { policyPath: e.RISK_POLICY_PATH },
    jump: {
      apiKey: e.JUMP_API_KEY,
      baseUrl: e.JUMP_BASE_URL.replace(/\/+$/, ''),
      timeoutMs: e.JUMP_TIMEOUT,
      retries: e.JUMP_RETRIES,
      maxConcurrency: e.JUMP_MAX_CONCURRENCY,
      agentId: e.JUMP_AGENT_ID,
      groupId: e.JUMP_GROUP_ID,
      statusRefreshMs: e.JUMP_STATUS_REFRESH,
      actionNeededRefreshMs: e.JUMP_STATUS_REFRESH_ACTION_NEEDED,
      finalPaymentsTtlMs: e.CACHE_TTL_FINAL_PAYMENTS,
      contractorsTtlMs: e.CACHE_TTL_CONTRACTORS,
    },
    payouts: { guard: e.PAYOUT_GUARD, scopesHeader: e.AUTH_SCOPES_HEADER },
  };
}
