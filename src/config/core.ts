import { isIP } from 'node:net';
import { z } from 'zod';
import { duration, emptyAsUndefined, positiveInt, secret, type EnvOf } from './env.ts';

/**
 * The variables of the house itself — HTTP, logs, the shared cache, access, limits, the operation deadline — and the
 * cache lifetimes every vendor module shares. Each module adds its own (modules/<name>/config.ts).
 */
export const coreEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** The subgraph's URL as browsers reach it (e.g. https://counterparty.example.ru): links it hands out are absolute when set. */
  PUBLIC_URL: z.preprocess(
    emptyAsUndefined,
    z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) URL, e.g. https://counterparty.example.ru' }).optional(),
  ),
  /** Latency the sandbox emulators add to each answer, to make batching visible. */
  SANDBOX_LATENCY: duration('0ms', { allowZero: true }),

  CACHE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^rediss?:\/\//, 'CACHE_URL must be a redis:// or rediss:// URL (leave it unset for the in-memory cache)')
      .optional(),
  ),
  /** Key prefix in the store: replicas of one deployment share it; staging and production sharing a Redis must not. */
  CACHE_NAMESPACE: z
    .string()
    .regex(/^[\w.-]+$/, 'letters, digits, "_", "." and "-" only')
    .default('counterparty-subgraph'),
  /** Bounded: the LRU preallocates its index for this many entries. */
  CACHE_MAX_ENTRIES: z.coerce
    .number()
    .int()
    .positive()
    .max(1_000_000, 'CACHE_MAX_ENTRIES must be at most 1000000 (use CACHE_MAX_MEMORY to bound by size)')
    .default(100_000),
  /** Memory bound of the in-memory cache (purchase pages and PDFs are large), e.g. 256mb, 1gb. */
  CACHE_MAX_MEMORY: z
    .string()
    .regex(/^\d+(kb|mb|gb)$/i, 'a size like 512mb or 1gb')
    .default('256mb')
    .transform(
      (value) =>
        Number.parseInt(value, 10) * { kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[value.slice(-2).toLowerCase() as 'kb' | 'mb' | 'gb'],
    ),
  /** Registry data (every vendor's), status fields, "the vendor does not know it", and paged lists. */
  CACHE_TTL_REQUISITES: duration('24h'),
  CACHE_TTL_STATUS: duration('1h'),
  CACHE_TTL_NOT_FOUND: duration('1h'),
  CACHE_TTL_LISTS: duration('12h'),
  /**
   * With CACHE_URL: how long a replica's claim on an identifier it is fetching lasts. Another replica missing the same
   * identifier waits for that answer instead of paying again, at most this long if the claimant dies. Default: the
   * operation deadline, so no waiting operation outlives a claim; set it a little above the slowest vendor call.
   */
  CACHE_CLAIM_TTL: z.preprocess(emptyAsUndefined, duration('15s').optional()),
  /** When the vendor fails, an expired entry younger than this is served (marked stale) instead of an error. */
  CACHE_STALE_IF_ERROR: duration('24h', { allowZero: true }),

  /** When set, GraphQL requests must carry `router-authorization: <secret>` (the router adds it). */
  ROUTER_SECRET: secret('ROUTER_SECRET', 16),
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  METRICS_TOKEN: secret('METRICS_TOKEN', 8),
  /** Browser origins allowed to call /graphql directly, comma-separated. */
  CORS_ORIGINS: z.preprocess(emptyAsUndefined, z.string().optional()),
  /**
   * The reverse proxies whose X-Forwarded-For is believed, comma-separated: addresses, subnets (10.0.0.0/8) or
   * Express's names `loopback`, `linklocal`, `uniquelocal`. Unset: the client is the socket's address, whatever the
   * header says (a forged header from anywhere else changes nothing). Read by the public routes' per-client limits.
   */
  TRUST_PROXY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .superRefine((entries, ctx) => {
        const bad = entries.filter((entry) => !isProxyEntry(entry));
        if (bad.length > 0)
          ctx.addIssue({
            code: 'custom',
            message: `TRUST_PROXY takes addresses, subnets of at least /8 (IPv6: /16) or loopback, linklocal, uniquelocal; not ${bad.map((entry) => JSON.stringify(entry)).join(', ')} (never "true" or a hop count: any client could then forge its address)`,
          });
      })
      .optional(),
  ),
  /** GraphiQL and introspection: decided by mode unless set (see src/http/server.ts). */
  GRAPHIQL: z.preprocess(emptyAsUndefined, z.enum(['on', 'off']).optional()),

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
  MAX_REQUEST_BODY: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size like 512kb or 1mb')
    .default('1mb'),
};

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An address, a subnet (address/prefix length) or one of Express's named ranges. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', bits, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  // A very wide range (0.0.0.0/1 and its twin, ::/0) would believe anyone's header: at least /8 and /16.
  return /^\d{1,3}$/.test(bits) && Number(bits) >= (family === 4 ? 8 : 16) && Number(bits) <= (family === 4 ? 32 : 128);
}

export function coreConfig(e: EnvOf<typeof coreEnv>) {
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    /** PUBLIC_URL without a trailing slash; undefined = root-relative links. */
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    sandboxLatencyMs: e.SANDBOX_LATENCY,
    /** OPERATION_TIMEOUT and SHUTDOWN_GRACE. */
    operation: { timeoutMs: e.OPERATION_TIMEOUT, shutdownGraceMs: e.SHUTDOWN_GRACE ?? e.OPERATION_TIMEOUT + 5_000 },
    access: {
      routerSecret: e.ROUTER_SECRET,
      metricsToken: e.METRICS_TOKEN,
      corsOrigins: (e.CORS_ORIGINS ?? '')
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
      /** TRUST_PROXY: Express's `trust proxy` list; empty = no proxy is believed. */
      trustProxy: e.TRUST_PROXY ?? [],
      /** undefined = decided by mode. */
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
      maxEntries: e.CACHE_MAX_ENTRIES,
      maxMemoryBytes: e.CACHE_MAX_MEMORY,
      ttl: { requisitesMs: e.CACHE_TTL_REQUISITES, statusMs: e.CACHE_TTL_STATUS, notFoundMs: e.CACHE_TTL_NOT_FOUND },
      listsTtlMs: e.CACHE_TTL_LISTS,
      staleIfErrorMs: e.CACHE_STALE_IF_ERROR,
      claimTtlMs: e.CACHE_CLAIM_TTL ?? e.OPERATION_TIMEOUT,
    },
  };
}

export type CoreConfig = ReturnType<typeof coreConfig>;
