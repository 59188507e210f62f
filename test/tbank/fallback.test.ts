import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import type { TbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { legalEntityInns, soleProprietorInns, unknownInn } from '../support/inns.ts';
import { postGraphQL, startServerProcess } from '../support/processes.ts';
import { startEmulator, startSubgraph, type TestSubgraph } from '../support/subgraph.ts';
import { TEST_TBANK_TOKEN, startTbankSubgraph, startTestTbankEmulator, type TbankSubgraph } from '../support/tbank.ts';

const CARD =
  'inn kind shortName fullName ogrn kpp status { code isActive } legalAddress { oneLine zipCode } registrationDate dissolutionDate';

describe('no FOCUS_API_KEY but a TBANK_TOKEN: company(inn) answers requisites and status from T-Bank', () => {
  let tbank: TbankEmulator;
  let subgraph: TbankSubgraph;
  // The same companies on a Kontur.Focus-backed subgraph, to compare with.
  let focus: FocusEmulator;
  let focusSubgraph: TestSubgraph;

  beforeAll(async () => {
    tbank = await startTestTbankEmulator({ rateLimit: null });
    // Only T-Bank is configured: nothing points at Kontur.Focus.
    subgraph = await startTbankSubgraph({ tbank, env: { TBANK_RATE_LIMIT: '1000/min' } });
    focus = await startEmulator();
    focusSubgraph = await startSubgraph({ emulator: focus });
  });
  afterAll(async () => {
    await subgraph?.close();
    await focusSubgraph?.close();
    await tbank?.close();
    await focus?.close();
  });

  it('answers a CRM card from one T-Bank call', async () => {
    const before = tbank.calls.length;
    const result = await subgraph.gql('{ company(inn: "7700000009") { shortName ogrn kpp status { code } legalAddress { oneLine } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data.company).toEqual({
      shortName: 'АО "Альянс-М"',
      ogrn: '1117746000008',
      kpp: '770001001',
      status: { code: 'ACTIVE' },
      legalAddress: { oneLine: '119031, г Москва, ул Заводская, д 32, оф 137' },
    });
    expect(tbank.calls.slice(before).map((call) => [call.method, call.ids[0], call.status])).toEqual([
      ['excerpt/by-inn', '7700000009', 200],
    ]);
  });

  it('agrees with Kontur.Focus on the requisites both have, for every status and a sole proprietor', async () => {
    const inns = [
      '7700000376',
      '7700000016',
      '7700000129',
      '6600000074',
      '6663003127',
      '4401006984',
      '7736050003',
      ...legalEntityInns(5, 88),
      ...soleProprietorInns(3, 88),
      '366512608416',
      '770000000156',
    ];
    for (const inn of inns) {
      const query = `{ company(inn: "${inn}") { ${CARD} } }`;
      const [fromTbank, fromFocus] = await Promise.all([subgraph.gql(query), focusSubgraph.gql(query)]);
      expect(fromTbank.errors, inn).toBeUndefined();
      expect(fromTbank.data, inn).toEqual(fromFocus.data);
    }
  });

  it('requisites, status and tbankCheck of one company cost one T-Bank call together', async () => {
    const [inn] = legalEntityInns(1, 89);
    const before = tbank.calls.length;
    const result = await subgraph.gql(`{ company(inn: "${inn}") { shortName status { code } tbankCheck { status shortName } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.company.tbankCheck).toEqual({ status: result.data.company.status.code, shortName: result.data.company.shortName });
    expect(tbank.calls.length - before).toBe(1);
  });

  it('fields only Kontur.Focus has answer null; Focus-only groups fail as not configured, and nothing is sent to Kontur.Focus', async () => {
    const result = await subgraph.gql(
      '{ company(inn: "7700000009") { shortName okfs oktmo expressReport { red } focusUrl analytics { revenue } } }',
    );
    expect(result.data.company).toEqual({
      shortName: 'АО "Альянс-М"',
      okfs: null,
      oktmo: null,
      expressReport: null,
      focusUrl: null,
      analytics: null,
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors![0]!.path).toEqual(['company', 'analytics']);
    expect(result.errors![0]!.extensions).toMatchObject({ code: 'VENDOR_UNAVAILABLE', vendor: 'kontur-focus', notConfigured: true });
    expect(result.errors![0]!.message).toMatch(/FOCUS_API_KEY/);
  });

  it('a company T-Bank does not know is null; company(ogrn) uses the excerpt by OGRN', async () => {
    const unknown = await subgraph.gql(`{ company(inn: "${unknownInn(3)}") { shortName } }`);
    expect(unknown).toEqual({ data: { company: null } });
    expect(tbank.calls.at(-1)).toMatchObject({ method: 'excerpt/by-inn', status: 422, errorCode: 'NO_DATA' });

    const before = tbank.calls.length;
    const byOgrn = await subgraph.gql('{ company(ogrn: "1117746000008") { inn shortName status { code } tbankCheck { ogrn } } }');
    expect(byOgrn.errors).toBeUndefined();
    expect(byOgrn.data.company).toEqual({
      inn: '7700000009',
      shortName: 'АО "Альянс-М"',
      status: { code: 'ACTIVE' },
      tbankCheck: { ogrn: '1117746000008' },
    });
    expect(tbank.calls.slice(before).map((call) => [call.method, call.ids[0]])).toEqual([['excerpt', '1117746000008']]);
  });

  it('the token is in no log line or response', () => {
    expect([...subgraph.logs, ...subgraph.responses].join('\n')).not.toContain(TEST_TBANK_TOKEN);
  });
});

describe('start-up modes (src/main.ts)', () => {
  it('sandbox mode (no keys) starts the T-Bank emulator too: tbankCheck answers', async () => {
    const server = await startServerProcess({ FOCUS_API_KEY: '', TBANK_TOKEN: '' });
    try {
      expect(server.output()).toContain('sandbox mode: T-Bank emulator started');
      const result = await postGraphQL(
        server.url,
        '{ company(inn: "7700000376") { shortName status { code } tbankCheck { status frozenAccounts { count } } } }',
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.company).toEqual({
        shortName: 'ООО "Пересвет"',
        status: { code: 'BANKRUPT' },
        tbankCheck: { status: 'BANKRUPT', frozenAccounts: { count: 2 } },
      });
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('with only TBANK_TOKEN the process answers from T-Bank alone and says so', async () => {
    const tbank = await startTestTbankEmulator();
    const server = await startServerProcess({ FOCUS_API_KEY: '', TBANK_TOKEN: TEST_TBANK_TOKEN, TBANK_BASE_URL: tbank.url });
    try {
      expect(server.output()).toContain('Kontur.Focus is not configured');
      expect(server.output()).not.toMatch(/sandbox mode: (Kontur\.Focus|T-Bank) emulator started/);
      expect(server.output()).toContain('Vendors: Kontur.Focus not configured, T-Bank live');
      const result = await postGraphQL(
        server.url,
        '{ company(inn: "7700000009") { shortName ogrn kpp status { code } legalAddress { oneLine } } }',
      );
      expect(result).toEqual({
        data: {
          company: {
            shortName: 'АО "Альянс-М"',
            ogrn: '1117746000008',
            kpp: '770001001',
            status: { code: 'ACTIVE' },
            legalAddress: { oneLine: '119031, г Москва, ул Заводская, д 32, оф 137' },
          },
        },
      });
      expect(tbank.calls.map((call) => call.method)).toEqual(['excerpt/by-inn']);
      expect(server.output()).not.toContain(TEST_TBANK_TOKEN);
    } finally {
      expect(await server.stop()).toBe(0);
      await tbank.close();
    }
  });
});

describe('T-Bank-backed status freshness', () => {
  it('status fields refetch an excerpt older than CACHE_TTL_STATUS; other requisites use it up to CACHE_TTL_REQUISITES', async () => {
    let now = Date.now();
    const tbank = await startTestTbankEmulator({ rateLimit: null });
    const subgraph = await startTbankSubgraph({ tbank, env: { TBANK_RATE_LIMIT: '1000/min' }, now: () => now });
    try {
      const [inn] = legalEntityInns(1, 86);
      const first = await subgraph.gql(`{ company(inn: "${inn}") { shortName status { code } } }`);
      expect(first.errors).toBeUndefined();
      expect(tbank.calls).toHaveLength(1);
      now += 2 * 3_600_000; // past the 1 h status TTL, within the 24 h requisites TTL
      await subgraph.gql(`{ company(inn: "${inn}") { shortName kpp } }`);
      expect(tbank.calls).toHaveLength(1);
      const fresh = await subgraph.gql(`{ company(inn: "${inn}") { shortName status { code } } }`);
      expect(fresh.data.company.status).toEqual(first.data.company.status);
      expect(tbank.calls).toHaveLength(2);
      // The refreshed excerpt replaced the cached one: tbankCheck reads it without another call.
      const check = await subgraph.gql(`{ company(inn: "${inn}") { tbankCheck { fetchedAt } } }`);
      expect(Date.parse(check.data.company.tbankCheck.fetchedAt)).toBe(now);
      expect(tbank.calls).toHaveLength(2);
      now += 25 * 3_600_000;
      await subgraph.gql(`{ company(inn: "${inn}") { shortName } }`);
      expect(tbank.calls).toHaveLength(3);
    } finally {
      await subgraph.close();
      await tbank.close();
    }
  });
});
