import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { clientKey } from '../../src/modules/autofill/client-key.ts';
import { budgetDay } from '../../src/modules/autofill/lookup.ts';

describe('autofill: client keys, the budget day, TRUST_PROXY and AUTOFILL_* validation', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002:ffff:0:0:1', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['203.0.113.5:443', '203.0.113.5'],
    ['[2001:db8:5::7]:443', '2001:db8:5:0::/64'],
    ['2001:db8::6:7:8:1.2.3.4', '2001:db8:0:6::/64'],
    ['not-an-address', undefined],
    [undefined, undefined],
  ])('clientKey(%s) = %s', (ip, key) => {
    expect(clientKey(ip)).toBe(key);
  });

  it('the budget day is the Moscow date; it ends at Moscow midnight', () => {
    expect(budgetDay(Date.UTC(2026, 11, 3, 20, 59, 59))).toEqual({ key: '2026-12-03', secondsLeft: 1 });
    expect(budgetDay(Date.UTC(2026, 11, 3, 21, 0, 0))).toEqual({ key: '2026-12-04', secondsLeft: 86_400 });
  });

  it('TRUST_PROXY takes addresses, subnets and named ranges, and refuses "true" or hop counts', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 10.1.0.0/16,loopback, 2001:db8::/32' }).access.trustProxy).toEqual([
      '10.0.0.1',
      '10.1.0.0/16',
      'loopback',
      '2001:db8::/32',
    ]);
    expect(loadConfig({}).access.trustProxy).toEqual([]);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY takes addresses.*not "true"/);
    expect(() => loadConfig({ TRUST_PROXY: '1' })).toThrow(/not "1"/);
    expect(() => loadConfig({ TRUST_PROXY: '10.0.0.0/33' })).toThrow(/not "10.0.0.0\/33"/);
    // Ranges that wide would believe anyone's header.
    expect(() => loadConfig({ TRUST_PROXY: '0.0.0.0/1,128.0.0.0/1' })).toThrow(/not "0.0.0.0\/1", "128.0.0.0\/1"/);
    expect(() => loadConfig({ TRUST_PROXY: '::/0' })).toThrow(/not "::\/0"/);
  });

  it('AUTOFILL_ORIGINS must be origins; the server token at least 24 characters', () => {
    expect(loadConfig({ AUTOFILL_ORIGINS: 'https://shop.example.ru,http://localhost:3000' }).autofill.origins).toEqual([
      'https://shop.example.ru',
      'http://localhost:3000',
    ]);
    expect(() => loadConfig({ AUTOFILL_ORIGINS: 'https://shop.example.ru/register' })).toThrow(/not "https:\/\/shop.example.ru\/register"/);
    expect(() => loadConfig({ AUTOFILL_ORIGINS: '*' })).toThrow(/no "\*"/);
    expect(() => loadConfig({ AUTOFILL_SERVER_TOKEN: 'short' })).toThrow(/AUTOFILL_SERVER_TOKEN must have at least 24 characters/);
    expect(loadConfig({}).autofill).toEqual({
      enabled: true,
      rateLimit: { calls: 20, windowMs: 60_000 },
      dailyVendorCalls: 1000,
      clientDailyVendorCalls: 100,
      origins: [],
      serverToken: undefined,
    });
  });
});
