import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/app/config.ts';
import { parseDuration } from '../../src/config/env.ts';

describe('configuration', () => {
  it('parses durations like 90s, 15m, 24h, 2d, 500ms; a bare number is seconds', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('4')).toBe(4_000);
  });

  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.focus.baseUrl).toBe('https://focus-api.kontur.ru/api3');
    expect(config.focus.apiKey).toBeUndefined();
    expect(config.focus.maxConcurrency).toBe(4);
    expect(config.cache.url).toBeUndefined();
    expect(config.cache.ttl).toEqual({ requisitesMs: 86_400_000, statusMs: 3_600_000, notFoundMs: 3_600_000 });
  });

  it('stops with a message naming each bad variable', () => {
    expect(() => loadConfig({ CACHE_TTL_STATUS: 'soon', CACHE_URL: 'memcached://x' })).toThrow(
      new ConfigError(
        'Invalid configuration:\n' +
          '  CACHE_URL: CACHE_URL must be a redis:// or rediss:// URL (leave it unset for the in-memory cache)\n' +
          '  CACHE_TTL_STATUS: "soon" is not a duration (examples: 500ms, 90s, 15m, 24h, 2d)',
      ),
    );
  });

  it('refuses zero timeouts and TTLs, which would mean "never" to the libraries', () => {
    expect(() => loadConfig({ FOCUS_TIMEOUT: '0s', CACHE_TTL_NOT_FOUND: '0' })).toThrow(
      'Invalid configuration:\n  CACHE_TTL_NOT_FOUND: must be longer than 0 (got "0")\n  FOCUS_TIMEOUT: must be longer than 0 (got "0s")',
    );
    expect(loadConfig({ SANDBOX_LATENCY: '0ms' }).sandboxLatencyMs).toBe(0);
  });

  it('treats an empty FOCUS_API_KEY as unset (sandbox mode)', () => {
    expect(loadConfig({ FOCUS_API_KEY: '' }).focus.apiKey).toBeUndefined();
  });
});

describe('payouts fail closed', () => {
  it.each(['production', 'development', 'test'])(
    "NODE_ENV=%s: a Jump.Finance key without ROUTER_SECRET refuses to start (the scope header would be anyone's to send)",
    (mode) => {
      expect(() => loadConfig({ NODE_ENV: mode, JUMP_API_KEY: 'live-key' })).toThrow(
        "Invalid configuration:\n  ROUTER_SECRET: required when JUMP_API_KEY is set, whatever NODE_ENV is (payout mutations trust the router's scope header)",
      );
      expect(loadConfig({ NODE_ENV: mode, JUMP_API_KEY: 'live-key', ROUTER_SECRET: 'router-secret-0123456789' }).payouts.apiKey).toBe(
        'live-key',
      );
    },
  );

  it('the sandbox (no JUMP_API_KEY) needs no router secret', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).access.routerSecret).toBeUndefined();
  });
});

describe('replicas share what they must', () => {
  it('production with CACHE_URL and no DOCUMENT_SIGNING_SECRET refuses to start, naming it; with it, or without Redis, it starts', () => {
    const production = { NODE_ENV: 'production', FOCUS_API_KEY: 'focus-key-0123', CACHE_URL: 'redis://127.0.0.1:6379' };
    expect(() => loadConfig(production)).toThrow(
      'Invalid configuration:\n  DOCUMENT_SIGNING_SECRET: required in production when CACHE_URL is set (replicas sharing the cache must sign document links alike)',
    );
    expect(loadConfig({ ...production, DOCUMENT_SIGNING_SECRET: 'signing-secret-0123456789' }).documents.signingSecret).toBe(
      'signing-secret-0123456789',
    );
    expect(loadConfig({ NODE_ENV: 'production', FOCUS_API_KEY: 'focus-key-0123' }).documents.signingSecret).toBeUndefined();
    expect(loadConfig({ NODE_ENV: 'development', CACHE_URL: 'redis://127.0.0.1:6379' }).documents.signingSecret).toBeUndefined();
  });
});

describe('secrets', () => {
  it('refuses whitespace-only secrets and secrets with whitespace at their ends', () => {
    expect(() => loadConfig({ ROUTER_SECRET: ' '.repeat(16) })).toThrow(
      'Invalid configuration:\n  ROUTER_SECRET: ROUTER_SECRET is blank (only whitespace); set a real value or leave it unset',
    );
    expect(() => loadConfig({ FOCUS_API_KEY: 'abc123\n' })).toThrow(
      'Invalid configuration:\n  FOCUS_API_KEY: FOCUS_API_KEY has whitespace at its start or end; remove it',
    );
    expect(() => loadConfig({ TBANK_TOKEN: '\t', METRICS_TOKEN: '        ' })).toThrow(
      'Invalid configuration:\n  METRICS_TOKEN: METRICS_TOKEN is blank (only whitespace); set a real value or leave it unset\n' +
        '  TBANK_TOKEN: TBANK_TOKEN is blank (only whitespace); set a real value or leave it unset',
    );
    expect(() => loadConfig({ ROUTER_SECRET: 'short' })).toThrow(
      'Invalid configuration:\n  ROUTER_SECRET: ROUTER_SECRET must have at least 16 characters',
    );
  });

  it('bounds CACHE_MAX_ENTRIES (the in-memory LRU preallocates its index)', () => {
    expect(() => loadConfig({ CACHE_MAX_ENTRIES: '10000000' })).toThrow(
      'Invalid configuration:\n  CACHE_MAX_ENTRIES: CACHE_MAX_ENTRIES must be at most 1000000 (use CACHE_MAX_MEMORY to bound by size)',
    );
  });

  it('OPERATION_TIMEOUT defaults to 15 s and SHUTDOWN_GRACE to 5 s more', () => {
    expect(loadConfig({}).operation).toEqual({ timeoutMs: 15_000, shutdownGraceMs: 20_000 });
    expect(loadConfig({ OPERATION_TIMEOUT: '4s' }).operation).toEqual({ timeoutMs: 4_000, shutdownGraceMs: 9_000 });
    expect(loadConfig({ SHUTDOWN_GRACE: '30s' }).operation.shutdownGraceMs).toBe(30_000);
    expect(loadConfig({}).focus).toMatchObject({ maxQueue: 5_000 });
    expect(loadConfig({}).company).toEqual({ refreshMinIntervalMs: 60_000 });
  });
});
