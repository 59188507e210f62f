import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import type { TbankEchoPlace, TbankEmulator } from '../../src/modules/tbank/emulator/server.ts';
import { companyFacts, syntheticExcerpt } from '../../src/modules/tbank/emulator/synthetic.ts';
import { legalEntityInns } from '../support/inns.ts';
import { startEmulator, type GraphQLResponse } from '../support/subgraph.ts';
import {
  TEST_TBANK_TOKEN,
  leakedFragments,
  logLines,
  startTbankSubgraph,
  startTestTbankEmulator,
  type TbankSubgraph,
} from '../support/tbank.ts';

/**
 * "Fail closed" for T-Bank: vendor-supplied text reaches answers and logs only through an allow-list, a vendor echoing
 * the token back leaks no piece of it, and an answer about another company is an error that nothing caches.
 */

// Every test provokes failures on purpose: the breaker must not open and turn them into "circuit open".
const ENV = { TBANK_RATE_LIMIT: '1000/min', TBANK_BREAKER_MIN_CALLS: '100000' };
const BAD = 'VENDOR_BAD_RESPONSE';

let focus: FocusEmulator;
let tbank: TbankEmulator;
/** Kontur.Focus and T-Bank: T-Bank errors land on `tbankCheck`. */
let both: TbankSubgraph;
/** T-Bank alone: its errors land on `company` itself (requisites come from the excerpt). */
let tbankOnly: TbankSubgraph;

beforeAll(async () => {
  focus = await startEmulator();
  tbank = await startTestTbankEmulator({ rateLimit: null });
  both = await startTbankSubgraph({ tbank, focus, env: ENV });
  tbankOnly = await startTbankSubgraph({ tbank, env: ENV });
});
afterAll(async () => {
  await both?.close();
  await tbankOnly?.close();
  await tbank?.close();
  await focus?.close();
});

/** The X-Request-Ids the subgraph sent for an INN or OGRN (one per call; retries resend the call's own). */
const sentIds = (id: string) => [...new Set(tbank.calls.filter((call) => call.ids[0] === id).map((call) => call.requestId))];
const callsFor = (id: string) => tbank.calls.filter((call) => call.ids[0] === id).length;

/** `tbankCheck` of an INN on the Focus-backed subgraph: its only error, with Kontur.Focus's part answered. */
async function tbankCheckError(inn: string) {
  const result = await both.gql(`{ company(inn: "${inn}") { shortName tbankCheck { ogrn } } }`);
  expect(result.data.company.shortName).toBeTruthy();
  expect(result.data.company.tbankCheck).toBeNull();
  expect(result.errors).toHaveLength(1);
  const [error] = result.errors!;
  expect(error!.path).toEqual(['company', 'tbankCheck']);
  return error!;
}

describe('vendor-supplied fields pass only through the allow-list', () => {
  it('token-shaped errorCode, errorId and X-Request-Id are passed on as they are', async () => {
    const [inn] = legalEntityInns(1, 60);
    tbank.injectFault({
      fault: {
        kind: 'status',
        status: 400,
        errorCode: 'INVALID_PARAMS',
        errorId: '1b3c8ae867bc100d',
        requestId: 'tb-7f3e:42',
        errorMessage: `Некорректный ИНН: ${inn}`,
      },
      times: 1,
      whenIdsInclude: [inn!],
    });
    const error = await tbankCheckError(inn!);
    expect(error.message).toBe('T-Bank excerpt/by-inn refused the request (HTTP 400 INVALID_PARAMS: Некорректный ИНН: #)');
    expect(error.extensions).toEqual({
      code: BAD,
      vendor: 'tbank',
      method: 'excerpt/by-inn',
      status: 400,
      vendorRequestId: 'tb-7f3e:42',
      errorId: '1b3c8ae867bc100d',
      vendorCode: 'INVALID_PARAMS',
    });
    const [sent] = sentIds(inn!);
    expect(logLines(both, 'T-Bank call').find((line) => line.vendorRequestId === sent)).toMatchObject({
      vendorAnsweredRequestId: 'tb-7f3e:42',
      status: 400,
    });
  });

  it('anything not token-shaped is dropped, and our own X-Request-Id stands for the vendor’s', async () => {
    const [inn] = legalEntityInns(1, 61);
    tbank.injectFault({
      fault: {
        kind: 'status',
        status: 400,
        errorCode: 'INVALID <b>PARAMS</b>',
        errorId: 'e'.repeat(65),
        requestId: 'trace 42; drop table',
        errorMessage: 'Ошибка',
      },
      times: 1,
      whenIdsInclude: [inn!],
    });
    const error = await tbankCheckError(inn!);
    const [sent] = sentIds(inn!);
    expect(error.message).toBe('T-Bank excerpt/by-inn refused the request (HTTP 400: Ошибка)');
    expect(error.extensions).toEqual({ code: BAD, vendor: 'tbank', method: 'excerpt/by-inn', status: 400, vendorRequestId: sent });

    const call = logLines(both, 'T-Bank call').find((line) => line.vendorRequestId === sent);
    expect(call).toMatchObject({ vendorRequestIdRefused: true, status: 400 });
    expect(call).not.toHaveProperty('vendorAnsweredRequestId');
    const failed = logLines(both, 'T-Bank call failed').find((line) => line.vendorRequestId === sent);
    expect(failed).toMatchObject({ vendor: 'tbank', method: 'excerpt/by-inn', status: 400, detail: 'Ошибка' });
    expect(failed).not.toHaveProperty('vendorCode');
    expect(failed).not.toHaveProperty('errorId');
  });

  it('errorMessage: bearer values, card numbers and registry numbers masked, control characters dropped', async () => {
    const [inn] = legalEntityInns(1, 62);
    const errorMessage = 'Отказ: ИНН 7706000001, карта 4111 1111 1111 1111,\nзаголовок Authorization: Bearer abc.def-123 отклонён';
    tbank.injectFault({ fault: { kind: 'status', status: 400, errorMessage }, times: 1, whenIdsInclude: [inn!] });
    const error = await tbankCheckError(inn!);
    const detail = 'Отказ: ИНН #, карта •••• 1111, заголовок Authorization: Bearer *** отклонён';
    expect(error.message).toBe(`T-Bank excerpt/by-inn refused the request (HTTP 400 INVALID: ${detail})`);
    const [sent] = sentIds(inn!);
    expect(logLines(both, 'T-Bank call failed').find((line) => line.vendorRequestId === sent)).toMatchObject({
      detail,
      vendorCode: 'INVALID',
    });
  });

  it('errorMessage is redacted before it is cut at 200: a token at character 190 leaves no prefix behind', async () => {
    const [inn] = legalEntityInns(1, 63);
    const lead = 'Ошибка авторизации, получено: '.padEnd(190, '.');
    tbank.injectFault({
      fault: { kind: 'status', status: 400, errorMessage: `${lead}${TEST_TBANK_TOKEN} (заголовок Authorization)` },
      times: 1,
      whenIdsInclude: [inn!],
    });
    const error = await tbankCheckError(inn!);
    // 190 + "***" + 6 characters = 199, then the cut mark.
    const detail = `${lead}*** (заго…`;
    expect(detail).toHaveLength(200);
    expect(error.message).toBe(`T-Bank excerpt/by-inn refused the request (HTTP 400 INVALID: ${detail})`);
    const [sent] = sentIds(inn!);
    expect(logLines(both, 'T-Bank call failed').find((line) => line.vendorRequestId === sent)).toMatchObject({ detail });
  });
});

describe('a vendor echoing the token back leaks no piece of it', () => {
  const PLACES: TbankEchoPlace[] = ['errorMessage', 'errorCode', 'errorId', 'requestId'];
  const CODES: Record<number, string> = { 400: BAD, 403: 'VENDOR_AUTH_FAILED', 500: 'VENDOR_UNAVAILABLE' };
  const cases: Array<{ into: TbankEchoPlace; status: number }> = [
    ...PLACES.flatMap((into) => [400, 403, 500].map((status) => ({ into, status }))),
    // A successful answer carries its X-Request-Id and Content-Type too.
    { into: 'requestId', status: 200 },
    { into: 'contentType', status: 200 },
  ];

  /** One case against one subgraph, for a fresh INN; the error (if any) and the X-Request-Id the subgraph sent. */
  async function provoke(subgraph: TbankSubgraph, inn: string, into: TbankEchoPlace, status: number) {
    tbank.injectFault({ fault: { kind: 'echoToken', into, status }, whenIdsInclude: [inn] });
    try {
      const query =
        subgraph === both ? `{ company(inn: "${inn}") { tbankCheck { inn } } }` : `{ company(inn: "${inn}") { inn shortName } }`;
      const result: GraphQLResponse = await subgraph.gql(query);
      return { result, sent: sentIds(inn) };
    } finally {
      tbank.clearFaults();
    }
  }

  it.each([
    ['with Kontur.Focus (tbankCheck)', () => both, 64],
    ['on T-Bank alone (company requisites)', () => tbankOnly, 65],
  ] as const)(
    '%s: in errorMessage, errorCode, errorId, X-Request-Id and Content-Type, at 400, 403, 500 and 200',
    async (_name, subgraphOf, seed) => {
      const subgraph = subgraphOf();
      const inns = legalEntityInns(cases.length, seed);
      for (const [index, { into, status }] of cases.entries()) {
        const inn = inns[index]!;
        const { result, sent } = await provoke(subgraph, inn, into, status);
        const label = `${into} ${status}`;
        expect(leakedFragments([...subgraph.responses, ...subgraph.logs], TEST_TBANK_TOKEN), label).toEqual([]);
        expect(sent, label).toHaveLength(1);
        if (into === 'requestId' && status === 200) {
          expect(result.errors, label).toBeUndefined();
          expect(
            logLines(subgraph, 'T-Bank call').find((line) => line.vendorRequestId === sent[0]),
            label,
          ).toMatchObject({ vendorRequestIdRefused: true, status: 200 });
          continue;
        }
        expect(result.errors, label).toHaveLength(1);
        const { message, extensions } = result.errors![0]!;
        expect(extensions!.code, label).toBe(status === 200 ? BAD : CODES[status]);
        // An echoed request id is dropped: the id we sent names the call.
        expect(extensions!.vendorRequestId, label).toBe(sent[0]);
        if (into === 'errorCode') expect(extensions, label).not.toHaveProperty('vendorCode');
        if (into === 'errorId') expect(extensions, label).not.toHaveProperty('errorId');
        if (into === 'contentType') expect(message, label).toBe('T-Bank excerpt/by-inn answered with another content type instead of JSON');
        if (into === 'errorMessage' && status === 400) {
          expect(message, label).toBe(
            `T-Bank excerpt/by-inn refused the request (HTTP 400 INVALID: ${'Недействительные данные авторизации, получено: '.padEnd(190, '.')}*** (заго…)`,
          );
        }
      }
    },
  );
});

describe('an answer about another company is an error, and nothing is cached', () => {
  /** The emulator's own excerpt of a company, to break on purpose. */
  const excerptOf = (inn: string) => structuredClone(syntheticExcerpt(companyFacts(inn)!)) as any;

  /** The fault fails `tbankCheck` (twice: the failure was not cached); cleared, the same INN answers normally. */
  async function refusedThenAnswered(inn: string, fault: Parameters<TbankEmulator['injectFault']>[0]['fault'], message: string) {
    tbank.injectFault({ fault, whenIdsInclude: [inn] });
    try {
      for (const attempt of [1, 2]) {
        const before = callsFor(inn);
        const error = await tbankCheckError(inn);
        expect(callsFor(inn), `attempt ${attempt}`).toBe(before + 1);
        expect(error.message).toBe(message);
        expect(error.extensions).toEqual({
          code: BAD,
          vendor: 'tbank',
          method: 'excerpt/by-inn',
          status: 200,
          vendorRequestId: sentIds(inn).at(-1),
        });
      }
    } finally {
      tbank.clearFaults();
    }
    const before = callsFor(inn);
    const result = await both.gql(`{ company(inn: "${inn}") { ogrn tbankCheck { inn ogrn } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.company.tbankCheck).toEqual({ inn, ogrn: result.data.company.ogrn });
    expect(callsFor(inn)).toBe(before + 1);
  }

  it('another company’s excerpt for the INN asked (wrongCompany) → VENDOR_BAD_RESPONSE, logged with the reason', async () => {
    const [inn] = legalEntityInns(1, 66);
    await refusedThenAnswered(
      inn!,
      { kind: 'wrongCompany' },
      'T-Bank excerpt/by-inn answered with an excerpt that names another INN than the one asked',
    );
    expect(logLines(both, 'T-Bank answer refused: not the company asked').at(-1)).toMatchObject({
      vendor: 'tbank',
      method: 'excerpt/by-inn',
      status: 200,
      mismatch: 'names another INN than the one asked',
    });
  });

  it('an empty object `{}` → VENDOR_BAD_RESPONSE', async () => {
    const [inn] = legalEntityInns(2, 66).slice(1);
    await refusedThenAnswered(inn!, { kind: 'body', body: {} }, 'T-Bank excerpt/by-inn answered with an unexpected shape');
  });

  it('an excerpt naming no INN (card and SPARK block both null) → VENDOR_BAD_RESPONSE', async () => {
    const [inn] = legalEntityInns(3, 66).slice(2);
    const body = excerptOf(inn!);
    body.companyCard.requisites.inn = null;
    body.companyExcerpt.inn = null;
    body.companyExcerpt.expressExcerpt.inn = null;
    await refusedThenAnswered(
      inn!,
      { kind: 'body', body },
      'T-Bank excerpt/by-inn answered with an excerpt that names no INN, so it cannot be told from another company’s',
    );
  });

  it('an excerpt whose card is the INN asked but whose SPARK block is another company’s → VENDOR_BAD_RESPONSE', async () => {
    const [inn] = legalEntityInns(4, 66).slice(3);
    const body = excerptOf(inn!);
    body.companyExcerpt = excerptOf('7700000376').companyExcerpt;
    await refusedThenAnswered(
      inn!,
      { kind: 'body', body },
      'T-Bank excerpt/by-inn answered with an excerpt that names another INN than the one asked',
    );
  });

  it('the INN only in the SPARK block (card INN null) is still the company asked: answered', async () => {
    const [inn] = legalEntityInns(5, 66).slice(4);
    const body = excerptOf(inn!);
    body.companyCard.requisites.inn = null;
    tbank.injectFault({ fault: { kind: 'body', body }, times: 1, whenIdsInclude: [inn!] });
    const result = await both.gql(`{ company(inn: "${inn}") { tbankCheck { inn } } }`);
    expect(result).toEqual({ data: { company: { tbankCheck: { inn } } } });
  });

  it('company(ogrn) on T-Bank alone: another company’s excerpt for the OGRN asked → VENDOR_BAD_RESPONSE; cleared, it answers', async () => {
    const [inn] = legalEntityInns(6, 66).slice(5);
    const ogrn = excerptOf(inn!).companyCard.requisites.ogrn as string;
    const query = `{ company(ogrn: "${ogrn}") { inn ogrn } }`;
    tbank.injectFault({ fault: { kind: 'wrongCompany' }, whenIdsInclude: [ogrn] });
    try {
      const refused = await tbankOnly.gql(query);
      expect(refused.data).toEqual({ company: null });
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0]).toMatchObject({
        path: ['company'],
        message: 'T-Bank excerpt answered with an excerpt that names another OGRN than the one asked',
        extensions: { code: BAD, vendor: 'tbank', method: 'excerpt', status: 200, vendorRequestId: sentIds(ogrn).at(-1) },
      });
    } finally {
      tbank.clearFaults();
    }
    const before = callsFor(ogrn);
    expect(await tbankOnly.gql(query)).toEqual({ data: { company: { inn, ogrn } } });
    expect(callsFor(ogrn)).toBe(before + 1);
  });

  it('a page of another company’s contracts → VENDOR_BAD_RESPONSE on stateContracts; cleared, the page is listed', async () => {
    const inn = '7725000000'; // 250 contracts
    const { data } = await both.gql(`{ company(inn: "${inn}") { ogrn } }`);
    const ogrn = data.company.ogrn as string;
    const query = `{ company(inn: "${inn}") { stateContracts(first: 1) { totalCount } } }`;
    tbank.injectFault({ fault: { kind: 'wrongCompany' }, methods: ['contracts'], whenIdsInclude: [ogrn] });
    try {
      const refused = await both.gql(query);
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0]).toMatchObject({
        path: ['company', 'stateContracts'],
        message: 'T-Bank contracts answered with a page of contracts that names another OGRN than the one asked',
        extensions: { code: BAD, vendor: 'tbank', method: 'contracts', status: 200 },
      });
    } finally {
      tbank.clearFaults();
    }
    expect(await both.gql(query)).toEqual({ data: { company: { stateContracts: { totalCount: 250 } } } });
  });
});
