import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.ts';
import { parseRateLimit } from '../../src/config/env.ts';
import { companyRecordOf } from '../../src/modules/tbank/requisites.ts';
import { riskSignals } from '../../src/modules/tbank/signals.ts';
import { RateLimiter } from '../../src/vendors/rate-limiter.ts';
import {
  ContractsResponseSchema,
  ExcerptResponseSchema,
  normalizeMoney,
  normalizeVendorDate,
} from '../../src/modules/tbank/vendor/schemas.ts';
import { EXAMPLE_CONTRACTS, EXAMPLE_EXCERPT, exampleExcerptFor } from '../support/tbank-examples.ts';
import { excerptMismatch } from '../../src/modules/tbank/vendor/identity.ts';
import { registerSecret, vendorDetail } from '../../src/observability/redaction.ts';
import { mediaType } from '../../src/vendors/http-core.ts';
import { redactUrl } from '../../src/observability/logger.ts';

describe('T-Bank configuration', () => {
  it('parses rate limits like 10/min, 60/h, 5/s and 10/90s', () => {
    expect(parseRateLimit('10/min')).toEqual({ calls: 10, windowMs: 60_000 });
    expect(parseRateLimit('60/h')).toEqual({ calls: 60, windowMs: 3_600_000 });
    expect(parseRateLimit('5/s')).toEqual({ calls: 5, windowMs: 1_000 });
    expect(parseRateLimit('10/90s')).toEqual({ calls: 10, windowMs: 90_000 });
    expect(parseRateLimit(' 100 / day ')).toEqual({ calls: 100, windowMs: 86_400_000 });
    for (const bad of ['10', '0/min', '10/week', 'ten/min', '10/0s']) expect(() => parseRateLimit(bad)).toThrow(/not a rate limit/);
  });

  it('defaults to the production server, 10 per minute and a 5 s wait budget; a bad limit names the variable', () => {
    const { tbank } = loadConfig({});
    expect(tbank).toEqual({
      token: undefined,
      baseUrl: 'https://business.tbank.ru/openapi',
      rateLimit: { calls: 10, windowMs: 60_000 },
      maxWaitMs: 5_000,
      timeoutMs: 10_000,
      retries: 2,
      // Its own breaker (TBANK_BREAKER_*), no longer FOCUS_BREAKER_*.
      breaker: { errorPercent: 50, minCalls: 5, windowMs: 30_000, resetMs: 30_000 },
    });
    expect(() => loadConfig({ TBANK_RATE_LIMIT: '10 per minute' })).toThrow(/TBANK_RATE_LIMIT: "10 per minute" is not a rate limit/);
    expect(loadConfig({ TBANK_MAX_WAIT: '0s' }).tbank.maxWaitMs).toBe(0);
  });
});

describe('the T-Bank rate limiter', () => {
  const clock = () => {
    let now = 1_000_000;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it('lets the first 10 calls go at once, then refuses what would wait past the budget, saying when a call could go', () => {
    const time = clock();
    const limiter = new RateLimiter({ calls: 10, windowMs: 60_000 }, time.now);
    for (let i = 0; i < 10; i++) expect(limiter.reserve(0)).toEqual({ granted: true, waitMs: 0 });
    // Each token returns one window (+ a 1 s margin for network jitter) after its use.
    expect(limiter.reserve(5_000)).toEqual({ granted: false, retryAfterMs: 61_000 });
    time.advance(30_000);
    expect(limiter.reserve(5_000)).toEqual({ granted: false, retryAfterMs: 31_000 });
    expect(limiter.reserve(40_000)).toEqual({ granted: true, waitMs: 31_000 });
    // That reservation holds the first returning token: the next caller queues behind it.
    expect(limiter.reserve(40_000)).toEqual({ granted: true, waitMs: 31_000 });
    expect(limiter.available()).toBe(0);
  });

  it('never grants more than N calls in any window, whatever the arrival pattern (unlike a dripping bucket)', () => {
    const time = clock();
    const limiter = new RateLimiter({ calls: 10, windowMs: 60_000 }, time.now);
    const grants: number[] = [];
    let seed = 7;
    for (let step = 0; step < 2_000; step++) {
      seed = (seed * 48271) % 2147483647;
      time.advance(seed % 3_000);
      const reservation = limiter.reserve(seed % 2 === 0 ? 10_000 : 0);
      if (reservation.granted) grants.push(time.now() + reservation.waitMs);
    }
    grants.sort((a, b) => a - b);
    expect(grants.length).toBeGreaterThan(100);
    for (let i = 10; i < grants.length; i++) expect(grants[i]! - grants[i - 10]!).toBeGreaterThanOrEqual(60_000);
  });

  it('after a vendor 429, spends nothing for one whole window', () => {
    const time = clock();
    const limiter = new RateLimiter({ calls: 10, windowMs: 60_000 }, time.now);
    limiter.reserve(0);
    expect(limiter.backOff()).toBe(61_000);
    expect(limiter.reserve(60_000)).toEqual({ granted: false, retryAfterMs: 61_000 });
    time.advance(61_000);
    expect(limiter.reserve(0)).toEqual({ granted: true, waitMs: 0 });
  });
});

describe('T-Bank data formats (§6)', () => {
  it('reads zoned dates as the calendar date written, never shifting the day', () => {
    expect(normalizeVendorDate('2023-04-24+03:00')).toBe('2023-04-24');
    expect(normalizeVendorDate('2021-10-26Z')).toBe('2021-10-26');
    expect(normalizeVendorDate('2018-03-21')).toBe('2018-03-21');
    // A late-evening date far east of UTC is still that day (new Date() would make it the 23rd in UTC).
    expect(normalizeVendorDate('2023-04-24+14:00')).toBe('2023-04-24');
    expect(normalizeVendorDate('2000-01-01+04:00')).toBe('2000-01-01');
    for (const bad of ['2023-02-30+03:00', '24.04.2023', '2023-04-24T10:00:00Z', '', null, 20230424])
      expect(normalizeVendorDate(bad)).toBeUndefined();
  });

  it('keeps money strings digit for digit and refuses numbers that may have lost digits', () => {
    expect(normalizeMoney('-96527133000')).toBe('-96527133000');
    expect(normalizeMoney('123456789012345678901234')).toBe('123456789012345678901234');
    expect(normalizeMoney('0')).toBe('0');
    expect(normalizeMoney(554779000)).toBe('554779000');
    expect(normalizeMoney(1e20)).toBeUndefined();
    expect(normalizeMoney('12 345')).toBeUndefined();
  });

  it('parses the vendor example: 19-digit contract ids stay strings, int64 and doubles stay numbers', () => {
    const contracts = ContractsResponseSchema.parse(EXAMPLE_CONTRACTS);
    expect(contracts.data.total).toBe(164);
    expect(contracts.data.items.map((item) => item.contractId)).toEqual([
      '0173200000000000071',
      '1490000000000000006',
      '1870000000000000002',
    ]);
    expect(
      ContractsResponseSchema.safeParse({
        ...EXAMPLE_CONTRACTS,
        data: { total: 1, items: [{ contractId: Number('1490000000000000006'), role: 'supplier', counterpartyOgrn: '1' }] },
      }).success,
    ).toBe(false);

    const excerpt = ExcerptResponseSchema.parse(EXAMPLE_EXCERPT);
    expect(excerpt.companyExcerpt?.expressExcerpt?.netIncome).toEqual({
      periodName: '2020',
      dateBegin: '2020-01-01',
      dateEnd: '2020-12-31',
      sum: '-96527133000',
    });
    expect(excerpt.companyExcerpt?.status?.date).toBe('2023-04-24');
    expect(excerpt.companyExcerpt?.charterCapital).toEqual({ value: '1110616000', date: '2000-01-01' });
    expect(excerpt.excerpt?.contractSummary?.totalValue).toBe(32823479357.625);
    // The leaked Java BigInteger of frozen-account decisions and everything the graph does not read are dropped.
    expect(JSON.stringify(excerpt)).not.toMatch(/isPowerOfTwo|auth_cap|www\.example|taxYears/);
  });

  it('tolerates nulls and junk leaves, but not a missing companyType or OGRN', () => {
    const sparse = ExcerptResponseSchema.parse({
      companyType: 'entrepreneur',
      companyCard: { statusType: 'something-new', requisites: { ogrn: '304500116000157', inn: null, status: '' }, pages: null },
      entrepreneurExcerpt: {
        status: { date: 'junk' },
        includeInList: null,
        okved: [{ code: '47.11', isMain: true }],
        bankruptcyMessage: [],
      },
      excerpt: null,
    });
    expect(sparse.companyCard.statusType).toBe('unknown');
    expect(sparse.companyCard.requisites.inn).toBeUndefined();
    expect(sparse.entrepreneurExcerpt?.status?.date).toBeUndefined();
    expect(ExcerptResponseSchema.safeParse({ companyCard: EXAMPLE_EXCERPT.companyCard, excerpt: {} }).success).toBe(false);
    expect(
      ExcerptResponseSchema.safeParse({ companyType: 'company', companyCard: { statusType: 'active', requisites: {}, pages: [] } }).success,
    ).toBe(false);
  });
});

describe('T-Bank excerpt readings', () => {
  const excerpt = ExcerptResponseSchema.parse(EXAMPLE_EXCERPT);

  it('exports the risk signals the risk engine reads', () => {
    expect(riskSignals(excerpt)).toEqual({
      negativeLists: [],
      frozenAccountDecisions: 0,
      sameAddressCompanies: 51,
      statusCode: 'ACTIVE',
      taxDebt: { amount: 10, date: '2000-01-01', color: 'GREEN' },
      riskLevel: { level: 'NOT_ASSESSED', value: 0 },
      revenue: 378657216000,
    });
    const listed = ExcerptResponseSchema.parse({
      ...EXAMPLE_EXCERPT,
      companyCard: { ...EXAMPLE_EXCERPT.companyCard, statusType: 'bankrupting' },
      companyExcerpt: {
        ...EXAMPLE_EXCERPT.companyExcerpt,
        includeInList: [
          ...EXAMPLE_EXCERPT.companyExcerpt.includeInList,
          { isNegative: true, id: 11, listName: 'Реестр недобросовестных поставщиков' },
        ],
        expressExcerpt: {
          ...EXAMPLE_EXCERPT.companyExcerpt.expressExcerpt,
          negativeLists: [
            { isNegative: true, id: 11, listName: 'Реестр недобросовестных поставщиков' },
            { isNegative: true, id: 12 },
          ],
          frozenAccountDecisions: [
            { date: '2024-02-01+03:00', bank: { bik: '044525974', name: 'АО "ТБАНК"' } },
            { date: '2024-05-01+03:00' },
          ],
        },
      },
    });
    expect(riskSignals(listed)).toEqual({
      negativeLists: [
        { name: 'Реестр недобросовестных поставщиков', since: null },
        { name: 'Список 12', since: null },
      ],
      frozenAccountDecisions: 2,
      sameAddressCompanies: 51,
      statusCode: 'BANKRUPT',
      taxDebt: { amount: 10, date: '2000-01-01', color: 'GREEN' },
      riskLevel: { level: 'NOT_ASSESSED', value: 0 },
      revenue: 378657216000,
    });
  });

  it("maps the excerpt into the graph's company, leaving what T-Bank lacks null", () => {
    const record = companyRecordOf(excerpt, '7707083893');
    expect(record.inn).toBe('000000000000');
    expect(record.ogrn).toBe('1000000000000');
    expect([record.shortName, record.fullName]).toEqual(['ПАО "НАЗВАНИЕ"', 'ПУБЛИЧНОЕ АКЦИОНЕРНОЕ ОБЩЕСТВО "НАЗВАНИЕ"']);
    expect(record.kpp).toBe('000000000');
    expect(record.status).toEqual({ code: 'ACTIVE', text: 'Действующая организация', date: '2023-04-24', isActive: true });
    expect(record.legalAddress?.oneLine).toBe('119019, г Москва, ул Арбат');
    expect(record.legalAddress?.zipCode).toBe('119019');
    expect(record.heads).toEqual([
      {
        fio: 'Фамилия Имя Отчество',
        innfl: null,
        position: 'ГЕНЕРАЛЬНЫЙ ДИРЕКТОР',
        since: '2022-01-01',
        unreliable: false,
        unreliableSince: null,
      },
    ]);
    expect(record.history).toEqual({ names: [], legalAddresses: [], heads: [], kpps: [] });
    expect(record.dissolutionDate).toBeNull(); // terminationDt is ignored while the company is active
    expect(record.oktmo).toBeNull();
    expect(record.expressReport).toBeNull();
  });
});

describe('fail closed: is the excerpt the company asked for?', () => {
  const inn = '7707083893';
  const excerpt = ExcerptResponseSchema.parse(exampleExcerptFor(inn));

  it('by INN: the card’s or the SPARK block’s INN must be the one asked, and present', () => {
    expect(excerptMismatch(excerpt, { inn })).toBeUndefined();
    expect(excerptMismatch(excerpt, { inn: '7736050003' })).toBe('names another INN than the one asked');
    // The bare vendor example names its placeholder INN.
    expect(excerptMismatch(ExcerptResponseSchema.parse(EXAMPLE_EXCERPT), { inn })).toBe('names another INN than the one asked');
    const blockOnly = ExcerptResponseSchema.parse({
      ...exampleExcerptFor(inn),
      companyCard: { ...EXAMPLE_EXCERPT.companyCard, requisites: { ...EXAMPLE_EXCERPT.companyCard.requisites, inn: null } },
    });
    expect(excerptMismatch(blockOnly, { inn })).toBeUndefined();
    const none = ExcerptResponseSchema.parse({
      ...exampleExcerptFor(inn),
      companyCard: { ...EXAMPLE_EXCERPT.companyCard, requisites: { ...EXAMPLE_EXCERPT.companyCard.requisites, inn: null } },
      companyExcerpt: {
        ...EXAMPLE_EXCERPT.companyExcerpt,
        inn: null,
        expressExcerpt: { ...EXAMPLE_EXCERPT.companyExcerpt.expressExcerpt, inn: null },
      },
    });
    expect(excerptMismatch(none, { inn })).toBe('names no INN, so it cannot be told from another company’s');
  });

  it('by OGRN: the card’s OGRN must be the one asked; the blocks’ OGRNs are not compared', () => {
    expect(excerptMismatch(excerpt, { ogrn: '1000000000000' })).toBeUndefined();
    expect(excerptMismatch(excerpt, { ogrn: '1027700132195' })).toBe('names another OGRN than the one asked');
    // The vendor's own example read as an entrepreneur: its entrepreneurExcerpt's OGRNIP is not the card's OGRN
    // (§8.2). That alone is no proof of a stranger's excerpt, so it is answered.
    const entrepreneur = ExcerptResponseSchema.parse({ ...exampleExcerptFor(inn), companyType: 'entrepreneur' });
    expect(excerptMismatch(entrepreneur, { inn })).toBeUndefined();
    expect(excerptMismatch(entrepreneur, { ogrn: '1000000000000' })).toBeUndefined();
  });
});

describe('vendor text in T-Bank errors', () => {
  it('errorMessage: redacted whole, registry numbers masked, then cut to 200', () => {
    const secret = 'unit-Secret_9Xq2Lp7Rw3';
    registerSecret(secret);
    expect(vendorDetail('Данные не найдены: ОГРН 1027700132195')).toBe('Данные не найдены: ОГРН #');
    const lead = 'x'.repeat(190);
    expect(vendorDetail(`${lead}${secret}${'y'.repeat(20)}`)).toBe(`${lead}***yyyyyy…`);
    expect(vendorDetail(`${lead}${secret.slice(0, 10)}`)).toBe(`${lead}***`);
    expect(vendorDetail('  \n ')).toBeUndefined();
    expect(vendorDetail(42)).toBeUndefined();
  });

  it('Content-Type: only a known media type is repeated', () => {
    expect(mediaType('text/html; charset=utf-8')).toBe('text/html');
    expect(mediaType('Application/XML')).toBe('application/xml');
    expect(mediaType('text/t-api.Secret_123')).toBe('another content type');
    expect(mediaType('')).toBe('no content type');
  });
});

describe('log redaction', () => {
  it('removes bearer tokens from any text', () => {
    expect(redactUrl('authorization: Bearer t-api.Secret_123 sent')).toBe('authorization: Bearer *** sent');
    expect(redactUrl('{"Authorization":"Bearer abc.def"}')).toBe('{"Authorization":"Bearer ***"}');
  });
});
