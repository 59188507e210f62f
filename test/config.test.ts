import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDuration } from '../src/config.ts';

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
      'Invalid configuration:\n  FOCUS_TIMEOUT: must be longer than 0 (got "0s")\n  CACHE_TTL_NOT_FOUND: must be longer than 0 (got "0")',
    );
    expect(loadConfig({ SANDBOX_LATENCY: '0ms' }).sandboxLatencyMs).toBe(0);
  });

  it('treats an empty FOCUS_API_KEY as unset (sandbox mode)', () => {
    expect(loadConfig({ FOCUS_API_KEY: '' }).focus.apiKey).toBeUndefined();
  });
});

describe('payouts in production', () => {
  it('refuse to start with a Jump.Finance key but no ROUTER_SECRET: the scope header would be anyone\'s to send', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JUMP_API_KEY: 'live-key' })).toThrow(
      "Invalid configuration:\n  ROUTER_SECRET: required in production when JUMP_API_KEY is set (payout mutations trust the router's scope header)",
    );
    expect(loadConfig({ NODE_ENV: 'production', JUMP_API_KEY: 'live-key', ROUTER_SECRET: 'router-secret-0123456789' }).env).toBe('production');
    expect(loadConfig({ NODE_ENV: 'development', JUMP_API_KEY: 'live-key' }).env).toBe('development');
  });
});
