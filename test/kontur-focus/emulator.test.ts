import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { innCheckDigits, isValidInn, isValidOgrn, ogrnCheckDigit } from '../../src/domain/identifiers.ts';
import { fixturesDir } from '../../src/paths.ts';
import { startFocusEmulator, type FocusEmulator } from '../../src/modules/kontur-focus/emulator/server.ts';
import { fnv1a } from '../../src/modules/kontur-focus/emulator/synthetic.ts';

const KEY = 'test-key-5f1c';
const TEXT = 'text/plain; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

/** A checksum-valid INN from its first 9 (UL) or 10 (IP) digits. */
const inn = (prefix: string): string => prefix + innCheckDigits(prefix);

type AnyRecord = Record<string, any>;

function fixture(name: string): AnyRecord[] {
  return JSON.parse(readFileSync(path.join(fixturesDir, 'kontur-focus', name), 'utf8')) as AnyRecord[];
}

describe('Kontur.Focus emulator', () => {
  let emulator: FocusEmulator;

  async function get(pathAndQuery: string): Promise<{ status: number; type: string | null; body: string }> {
    const response = await fetch(`${emulator.url}/${pathAndQuery}`);
    return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
  }

  async function records(method: string, query: string): Promise<AnyRecord[]> {
    const response = await get(`${method}?key=${KEY}&${query}`);
    expect(response.status).toBe(200);
    expect(response.type).toBe(JSON_TYPE);
    return JSON.parse(response.body) as AnyRecord[];
  }

  beforeAll(async () => {
    emulator = await startFocusEmulator({ apiKey: KEY });
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    emulator.resetCalls();
    emulator.setLatency(0);
  });

  it('serves on loopback under /api3', () => {
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api3$/);
  });

  describe('errors', () => {
    it('answers 403 text for a wrong key without echoing it', async () => {
      const response = await get('req?key=wrong-secret-42&inn=6663003127');
      expect(response).toEqual({ status: 403, type: TEXT, body: 'No valid key specified' });
      expect(response.body).not.toContain('wrong-secret-42');
    });

    it('answers 403 for a missing key before looking at identifiers', async () => {
      expect(await get('req?inn=123')).toEqual({ status: 403, type: TEXT, body: 'No valid key specified' });
    });

    it('answers 400 text when no valid identifier is left', async () => {
      const expected = { status: 400, type: TEXT, body: 'inn/ogrn param is not specified' };
      expect(await get(`req?key=${KEY}&inn=123`)).toEqual(expected);
      expect(await get(`req?key=${KEY}`)).toEqual(expected);
      expect(await get(`req?key=${KEY}&inn=6663003128&ogrn=1026605606621`)).toEqual(expected);
    });

    it('answers 400 for 101 identifiers and 200 for 100', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => inn(`77010${String(i).padStart(4, '0')}`));
      expect(await get(`req?key=${KEY}&inn=${ids.join(',')}`)).toEqual({
        status: 400,
        type: TEXT,
        body: 'Too many identifiers: at most 100 per request',
      });
      expect((await get(`req?key=${KEY}&inn=${ids.slice(0, 100).join(',')}`)).status).toBe(200);
    });

    it('answers 404 text for an unknown method', async () => {
      expect(await get(`nope?key=${KEY}&inn=6663003127`)).toEqual({ status: 404, type: TEXT, body: 'Not Found' });
    });
  });

  describe('fixtures', () => {
    it('answers a captured INN with the captured file, record for record', async () => {
      expect(await records('req', 'inn=6663003127')).toEqual(fixture('6663003127.req.json'));
      expect(await records('licences', 'inn=6663003127')).toEqual(fixture('6663003127.licences.json'));
    });

    it('returns both records of 7736050003 in every method', async () => {
      for (const method of ['req', 'egrDetails', 'analytics', 'licences', 'buh']) {
        const answer = await records(method, 'inn=7736050003');
        expect(answer.map((record) => record.ogrn)).toEqual(['1027700070518', '1061515009555']);
      }
    });

    it('finds a captured record by its OGRN, without its sibling', async () => {
      const answer = await records('req', 'ogrn=1027700070518');
      expect(answer).toEqual([fixture('7736050003.req.json')[0]]);
    });

    it('answers an INN and its OGRN in one call with the record once', async () => {
      const answer = await records('analytics', 'inn=6663003127&ogrn=1026605606620');
      expect(answer).toEqual(fixture('6663003127.analytics.json'));
    });
  });

  describe('identifiers', () => {
    it('answers [] for a valid INN of region 00, which the registry does not know', async () => {
      const unknown = inn('001234567');
      expect(unknown).toBe('0012345673');
      expect(isValidInn(unknown)).toBe(true);
      expect(await records('req', `inn=${unknown}`)).toEqual([]);
      expect(await records('buh', `inn=${unknown}`)).toEqual([]);
    });

    it('drops malformed and checksum-invalid identifiers from a batch', async () => {
      const answer = await records('req', 'inn=6663003127,abc,1234567890,7700000009,,6663003128');
      expect(answer.map((record) => record.inn).sort()).toEqual(['6663003127', '7700000009']);
      expect(emulator.calls).toEqual([{ method: 'req', ids: ['6663003127', '7700000009'], status: 200, at: expect.any(Number) }]);
    });

    it('does not answer in request order (reverse of it)', async () => {
      const answer = await records('req', 'inn=6663003127,5053051872');
      expect(answer.map((record) => record.inn)).toEqual(['5053051872', '6663003127']);
    });

    it('answers an unseen valid OGRN with nothing', async () => {
      const prefix = '102000000001';
      expect(await records('req', `ogrn=${prefix}${ogrnCheckDigit(prefix)}`)).toEqual([]);
    });
  });

  describe('synthetic companies', () => {
    it('answers a legal entity identically every time, with valid OGRN and KPP', async () => {
      const first = await get(`req?key=${KEY}&inn=7700000009`);
      const second = await get(`req?key=${KEY}&inn=7700000009`);
      expect(second.body).toBe(first.body);
      const [record, ...rest] = JSON.parse(first.body) as AnyRecord[];
      expect(rest).toEqual([]);
      expect(isValidOgrn(record!.ogrn)).toBe(true);
      expect(record!.UL.kpp.startsWith('7700')).toBe(true);
      // Fixed values: the generator must stay stable across processes and releases.
      expect(record).toMatchObject({
        inn: '7700000009',
        ogrn: '1117746000008',
        focusHref: 'https://focus.kontur.ru/entity?query=1117746000008',
        UL: {
          kpp: '770001001',
          okopf: '12267',
          legalName: { short: 'АО "Альянс-М"', full: 'Акционерное общество "Альянс-М"' },
          status: { statusString: 'Действующее' },
          registrationDate: '2011-03-15',
        },
        contactPhones: {},
      });
    });

    it('describes a liquidated company consistently: dissolved, red flag, no statements', async () => {
      const [req] = await records('req', 'inn=6600000074');
      expect(req!.UL.status).toEqual({ statusString: 'Ликвидация юридического лица', dissolved: true, date: '2015-12-09' });
      expect(req!.UL.dissolutionDate).toBe('2015-12-09');
      expect(req!.briefReport).toEqual({ summary: { redStatements: true } });
      const [buh] = await records('buh', 'inn=6600000074');
      expect(buh).toEqual({ inn: '6600000074', ogrn: req!.ogrn, focusHref: req!.focusHref, buhForms: [] });
    });

    it('gives a sole proprietor with two registrations one record per OGRNIP in every method', async () => {
      const expected = ['306774600000105', '310774600000119'];
      for (const method of ['req', 'egrDetails', 'analytics', 'licences', 'buh']) {
        const answer = await records(method, 'inn=770000000156');
        expect(answer.map((record) => record.ogrn)).toEqual(expected);
      }
      const [old, current] = await records('req', 'inn=770000000156');
      expect(old!.IP.status.dissolved).toBe(true);
      expect(current!.IP.status).toEqual({ statusString: 'Действующее' });
      expect(expected.every(isValidOgrn)).toBe(true);
      expect((await records('analytics', 'inn=770000000156'))[0]!.analytics).toEqual({});
    });

    it('keeps analytics consistent with the latest /buh form', async () => {
      const [buh] = await records('buh', 'inn=7700000009');
      const [analytics] = await records('analytics', 'inn=7700000009');
      const latest = buh!.buhForms.at(-1);
      const line = (code: number) => [...latest.form1, ...latest.form2].find((l: AnyRecord) => l.code === code);
      expect(latest.year).toBe(2024);
      expect(analytics!.analytics.q6001).toBe(2024);
      expect(analytics!.analytics.s6004).toBe(line(2110).endValue);
      expect(analytics!.analytics.s6006).toBe(line(1600).endValue);
      expect(analytics!.analytics.s6008).toBe(line(2400).endValue);
    });

    it('sends no null and no false anywhere', async () => {
      for (const method of ['req', 'egrDetails', 'analytics', 'licences', 'buh']) {
        const body = (await get(`${method}?key=${KEY}&inn=7700000009,6600000074,770000000156,7700000376`)).body;
        expect(body).not.toMatch(/:(null|false)\b/);
      }
    });

    it('resolves a synthetic OGRN once it has appeared in an answer', async () => {
      const [seen] = await records('req', 'inn=6600000003');
      const byOgrn = await records('egrDetails', `ogrn=${seen!.ogrn}`);
      expect(byOgrn.map((record) => [record.inn, record.ogrn])).toEqual([['6600000003', seen!.ogrn]]);
    });
  });

  describe('call log and test hooks', () => {
    it('records method, valid ids and status of every /api3 call', async () => {
      await get(`req?key=${KEY}&inn=6663003127&ogrn=1027700070518`);
      await get(`buh?key=nope&inn=7700000009`);
      await get(`analytics?key=${KEY}&inn=1`);
      expect(emulator.calls.map(({ method, ids, status }) => ({ method, ids, status }))).toEqual([
        { method: 'req', ids: ['6663003127', '1027700070518'], status: 200 },
        { method: 'buh', ids: ['7700000009'], status: 403 },
        { method: 'analytics', ids: [], status: 400 },
      ]);
      expect(emulator.callsTo('buh')).toHaveLength(1);
    });

    it('exposes the call log over HTTP without the key', async () => {
      await get(`licences?key=${KEY}&inn=6663003127`);
      const base = emulator.url.replace(/\/api3$/, '');
      const log = (await (await fetch(`${base}/__emulator/calls`)).json()) as AnyRecord[];
      expect(log).toEqual([{ method: 'licences', ids: ['6663003127'], status: 200, at: emulator.calls[0]!.at }]);
      expect((await fetch(`${base}/__emulator/calls`, { method: 'DELETE' })).status).toBe(204);
      expect(emulator.calls).toEqual([]);
    });

    it('answers what setRecords put in place for an identifier', async () => {
      const replacement = [{ inn: '7700000023', ogrn: '1027700000011', focusHref: 'x', licenses: [] }];
      emulator.setRecords('licences', '7700000023', replacement);
      expect(await records('licences', 'inn=7700000023')).toEqual(replacement);
    });

    it('delays answers by the configured latency', async () => {
      emulator.setLatency(120);
      const started = performance.now();
      await records('req', 'inn=6663003127');
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    });
  });

  describe('faults', () => {
    const base = (): string => emulator.url.replace(/\/api3$/, '');
    const statuses = (): Array<[string, number]> => emulator.calls.map((call) => [call.method, call.status]);

    beforeEach(() => {
      emulator.clearFaults();
    });

    afterAll(() => {
      emulator.clearFaults();
    });

    it('answers 500 text for `times` calls, then normally again', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 500 }, times: 2 });
      expect(emulator.activeFaults).toBe(1);
      const failure = { status: 500, type: TEXT, body: 'Internal Server Error' };
      expect(await get(`req?key=${KEY}&inn=6663003127`)).toEqual(failure);
      expect(await get(`req?key=${KEY}&inn=6663003127`)).toEqual(failure);
      expect(emulator.activeFaults).toBe(0);
      expect(await records('req', 'inn=6663003127')).toEqual(fixture('6663003127.req.json'));
      expect(statuses()).toEqual([
        ['req', 500],
        ['req', 500],
        ['req', 200],
      ]);
    });

    it('answers a status fault with its own body', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 503, body: 'Service Unavailable' } });
      expect(await get(`buh?key=${KEY}&inn=7700000009`)).toEqual({ status: 503, type: TEXT, body: 'Service Unavailable' });
      expect(emulator.activeFaults).toBe(1);
    });

    it('answers 429 with Retry-After for a rate limit', async () => {
      emulator.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 3 }, times: 1 });
      const response = await fetch(`${emulator.url}/req?key=${KEY}&inn=6663003127`);
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBe('3');
      expect(response.headers.get('content-type')).toBe(TEXT);
      expect(await response.text()).toBe('Too Many Requests');
      expect(statuses()).toEqual([['req', 429]]);
    });

    it('adds a latency fault to the configured latency and then answers normally', async () => {
      emulator.setLatency(50);
      emulator.injectFault({ fault: { kind: 'latency', ms: 150 }, times: 1 });
      const started = performance.now();
      expect(await records('req', 'inn=6663003127')).toEqual(fixture('6663003127.req.json'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(190);
      expect(statuses()).toEqual([['req', 200]]);
    });

    it('hangs until the client gives up, logging the call with status 0', async () => {
      emulator.injectFault({ fault: { kind: 'hang' }, times: 1 });
      const error = await fetch(`${emulator.url}/req?key=${KEY}&inn=6663003127`, { signal: AbortSignal.timeout(300) }).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(DOMException);
      expect((error as DOMException).name).toBe('TimeoutError');
      expect(emulator.calls).toEqual([{ method: 'req', ids: ['6663003127'], status: 0, at: expect.any(Number) }]);
      // The aborted hang leaves the server healthy.
      expect(await records('req', 'inn=7700000009')).toHaveLength(1);
    });

    it('resets the connection without a response', async () => {
      emulator.injectFault({ fault: { kind: 'reset' }, times: 1 });
      const error = await fetch(`${emulator.url}/req?key=${KEY}&inn=6663003127`).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe('fetch failed');
      expect(statuses()).toEqual([['req', 0]]);
      expect(await records('req', 'inn=6663003127')).toEqual(fixture('6663003127.req.json'));
    });

    it('answers 200 application/json with a truncated body for malformedJson', async () => {
      emulator.injectFault({ fault: { kind: 'malformedJson' } });
      for (const query of ['inn=6663003127', 'inn=0012345673']) {
        const response = await get(`req?key=${KEY}&${query}`);
        expect(response.status).toBe(200);
        expect(response.type).toBe(JSON_TYPE);
        expect(() => JSON.parse(response.body)).toThrow(SyntaxError);
      }
      expect((await get(`req?key=${KEY}&inn=7700000009`)).body.startsWith('[{"')).toBe(true);
      expect(statuses()).toEqual([
        ['req', 200],
        ['req', 200],
        ['req', 200],
      ]);
    });

    it('answers the normal JSON as text/plain for wrongContentType', async () => {
      emulator.injectFault({ fault: { kind: 'wrongContentType' }, times: 1 });
      const response = await get(`req?key=${KEY}&inn=6663003127`);
      expect(response.status).toBe(200);
      expect(response.type).toBe(TEXT);
      expect(JSON.parse(response.body)).toEqual(fixture('6663003127.req.json'));
    });

    it('answers an HTML maintenance page for htmlBody', async () => {
      emulator.injectFault({ fault: { kind: 'htmlBody' }, times: 1 });
      expect(await get(`req?key=${KEY}&inn=6663003127`)).toEqual({
        status: 200,
        type: 'text/html; charset=utf-8',
        body: '<html><body>Технические работы</body></html>',
      });
    });

    it('affects only the listed methods', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 502 }, methods: ['analytics'] });
      expect(await records('req', 'inn=6663003127')).toEqual(fixture('6663003127.req.json'));
      expect((await get(`analytics?key=${KEY}&inn=6663003127`)).status).toBe(502);
      expect(await records('req', 'inn=7700000009')).toHaveLength(1);
      expect(statuses()).toEqual([
        ['req', 200],
        ['analytics', 502],
        ['req', 200],
      ]);
      expect(emulator.activeFaults).toBe(1);
    });

    it('affects only calls carrying one of whenIdsInclude, and counts only those', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 500 }, whenIdsInclude: ['7700000009', '1026605606620'], times: 2 });
      expect(await records('req', 'inn=6663003127')).toEqual(fixture('6663003127.req.json'));
      expect(emulator.activeFaults).toBe(1);
      expect((await get(`req?key=${KEY}&inn=6663003127,7700000009`)).status).toBe(500);
      expect((await get(`buh?key=${KEY}&ogrn=1026605606620`)).status).toBe(500);
      expect(emulator.activeFaults).toBe(0);
      expect((await get(`req?key=${KEY}&inn=7700000009`)).status).toBe(200);
      expect(statuses()).toEqual([
        ['req', 200],
        ['req', 500],
        ['buh', 500],
        ['req', 200],
      ]);
    });

    it('applies the first matching rule in the order added', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 503 }, methods: ['buh'], times: 1 });
      emulator.injectFault({ fault: { kind: 'rateLimit', retryAfterSeconds: 1 } });
      expect((await get(`buh?key=${KEY}&inn=7700000009`)).status).toBe(503);
      expect((await get(`buh?key=${KEY}&inn=7700000009`)).status).toBe(429);
      expect((await get(`req?key=${KEY}&inn=7700000009`)).status).toBe(429);
      expect(emulator.activeFaults).toBe(1);
    });

    it('clears every fault with clearFaults', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 500 } });
      emulator.injectFault({ fault: { kind: 'htmlBody' }, methods: ['req'] });
      expect(emulator.activeFaults).toBe(2);
      emulator.clearFaults();
      expect(emulator.activeFaults).toBe(0);
      expect(await records('req', 'inn=6663003127')).toEqual(fixture('6663003127.req.json'));
    });

    it('keeps 403 for a bad key and 400 for no valid identifier while a fault is active', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 500 }, times: 1 });
      expect(await get('req?key=wrong&inn=6663003127')).toEqual({ status: 403, type: TEXT, body: 'No valid key specified' });
      expect(await get(`req?key=${KEY}&inn=123`)).toEqual({ status: 400, type: TEXT, body: 'inn/ogrn param is not specified' });
      expect(emulator.activeFaults).toBe(1);
      expect((await get(`req?key=${KEY}&inn=6663003127`)).status).toBe(500);
      expect(statuses()).toEqual([
        ['req', 403],
        ['req', 400],
        ['req', 500],
      ]);
    });

    it('rejects an invalid rule', () => {
      expect(() => emulator.injectFault({ fault: { kind: 'boom' } } as never)).toThrow(TypeError);
      expect(() => emulator.injectFault({ fault: { kind: 'status', status: 500 }, times: 0 })).toThrow('times must be a positive integer');
      expect(() => emulator.injectFault({ fault: { kind: 'hang' }, methods: ['rek'] })).toThrow('Unknown methods rek');
      expect(emulator.activeFaults).toBe(0);
    });

    it('is controlled over HTTP', async () => {
      const faults = `${base()}/__emulator/faults`;
      const post = (body: string) => fetch(faults, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const rule = {
        fault: { kind: 'status', status: 502, body: 'Bad Gateway' },
        times: 2,
        methods: ['req'],
        whenIdsInclude: ['6663003127'],
      };
      expect((await post(JSON.stringify(rule))).status).toBe(204);
      expect((await post(JSON.stringify({ fault: { kind: 'hang' } }))).status).toBe(204);
      expect(emulator.activeFaults).toBe(2);
      expect(await (await fetch(faults)).json()).toEqual([rule, { fault: { kind: 'hang' } }]);

      expect(await get(`req?key=${KEY}&inn=6663003127`)).toEqual({ status: 502, type: TEXT, body: 'Bad Gateway' });
      expect(await (await fetch(faults)).json()).toEqual([{ ...rule, times: 1 }, { fault: { kind: 'hang' } }]);

      const unknown = await post(JSON.stringify({ fault: { kind: 'explode' } }));
      expect(unknown.status).toBe(400);
      expect(unknown.headers.get('content-type')).toBe(TEXT);
      expect(await unknown.text()).toMatch(/^Unknown fault kind "explode"/);
      expect((await post('{not json')).status).toBe(400);
      expect((await fetch(faults, { method: 'PUT' })).status).toBe(405);

      expect((await fetch(faults, { method: 'DELETE' })).status).toBe(204);
      expect(emulator.activeFaults).toBe(0);
      expect(await (await fetch(faults)).json()).toEqual([]);
      // Control routes are neither faulted nor logged as /api3 calls.
      expect(statuses()).toEqual([['req', 502]]);
    });

    it('never faults the call-log route', async () => {
      emulator.injectFault({ fault: { kind: 'reset' } });
      const response = await fetch(`${base()}/__emulator/calls`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual([]);
    });

    it('closes promptly while a call hangs', async () => {
      const own = await startFocusEmulator({ apiKey: KEY });
      own.injectFault({ fault: { kind: 'hang' } });
      const hanging = fetch(`${own.url}/req?key=${KEY}&inn=6663003127`).then(
        () => 'answered',
        () => 'failed',
      );
      await expect.poll(() => own.calls.length).toBe(1);
      const started = performance.now();
      await own.close();
      expect(performance.now() - started).toBeLessThan(500);
      expect(await hanging).toBe('failed');
      expect(own.calls).toEqual([{ method: 'req', ids: ['6663003127'], status: 0, at: expect.any(Number) }]);
    });
  });
});

describe('Kontur.Focus emulator: contacts, briefReport, paged, PDF, stat and monitoring methods', () => {
  let emulator: FocusEmulator;

  async function get(
    pathAndQuery: string,
    init?: RequestInit,
  ): Promise<{ status: number; type: string | null; headers: Headers; body: Buffer }> {
    const response = await fetch(`${emulator.url}/${pathAndQuery}`, init);
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      headers: response.headers,
      body: Buffer.from(await response.arrayBuffer()),
    };
  }

  async function getText(pathAndQuery: string): Promise<{ status: number; type: string | null; body: string }> {
    const { status, type, body } = await get(pathAndQuery);
    return { status, type, body: body.toString('utf8') };
  }

  async function records(method: string, query: string): Promise<AnyRecord[]> {
    const response = await getText(`${method}?key=${KEY}&${query}`);
    expect(response.status).toBe(200);
    expect(response.type).toBe(JSON_TYPE);
    return JSON.parse(response.body) as AnyRecord[];
  }

  /** Every page of a paged method for one identifier, by skip = 0, 1000, … until a short page. */
  async function allPages(method: string, query: string, key: string): Promise<AnyRecord[][]> {
    const pages: AnyRecord[][] = [];
    for (let skip = 0; ; skip += 1000) {
      const [record] = await records(method, `${query}&skip=${skip}`);
      pages.push(record![key] as AnyRecord[]);
      if (pages.at(-1)!.length < 1000) return pages;
    }
  }

  async function spent(method: string): Promise<number> {
    const stat = JSON.parse((await getText(`stat?key=${KEY}`)).body) as AnyRecord[];
    return stat.find((row) => row.methodName === method)!.spent as number;
  }

  const isNewestFirst = (dates: string[]): boolean => dates.every((date, i) => i === 0 || date <= dates[i - 1]!);

  beforeAll(async () => {
    emulator = await startFocusEmulator({ apiKey: KEY });
  });

  afterAll(async () => {
    await emulator.close();
  });

  beforeEach(() => {
    emulator.resetCalls();
    emulator.clearFaults();
    emulator.setLatency(0);
  });

  describe('contacts', () => {
    it('answers a captured INN with its file, phones or not', async () => {
      expect(await records('contacts', 'inn=6658021579')).toEqual(fixture('6658021579.contacts.json'));
      expect(await records('contacts', 'inn=5053051872')).toEqual([
        {
          inn: '5053051872',
          ogrn: '1075053002903',
          focusHref: 'https://focus.kontur.ru/entity?query=1075053002903',
          contactPhones: { phones: [] },
        },
      ]);
      expect(await records('contacts', 'inn=7736050003')).toEqual(fixture('7736050003.contacts.json'));
    });

    it('gives a synthetic company 0–5 distinct 8… numbers, exactly as many as req counts', async () => {
      const inns = ['7700000030', '7700000055', '7700000094', '7700000009', '770000000156'];
      const contacts = await records('contacts', `inn=${inns.join(',')}`);
      const req = await records('req', `inn=${inns.join(',')}`);
      expect(contacts.map((r) => r.ogrn).sort()).toEqual(req.map((r) => r.ogrn).sort());
      for (const record of contacts) {
        const phones = record.contactPhones.phones as string[];
        const count = req.find((r) => r.ogrn === record.ogrn)!.contactPhones.count as number | undefined;
        expect(phones.length).toBeLessThanOrEqual(5);
        expect(new Set(phones).size).toBe(phones.length);
        for (const phone of phones) expect(phone).toMatch(/^8\d{10}$/);
        if (phones.length === 0) expect(record.contactPhones).toEqual({ phones: [] });
        else expect(record.contactPhones.count).toBe(phones.length);
        expect(count ?? 0).toBe(phones.length);
      }
      expect(contacts.find((r) => r.inn === '7700000030')!.contactPhones.count).toBe(5);
      expect(await records('contacts', 'inn=7700000030')).toEqual(await records('contacts', 'inn=7700000030'));
    });

    it('keeps the batch rules: 400 for 101 identifiers, [] for an unknown INN', async () => {
      const ids = Array.from({ length: 101 }, (_, i) => inn(`77010${String(i).padStart(4, '0')}`));
      expect((await getText(`contacts?key=${KEY}&inn=${ids.join(',')}`)).status).toBe(400);
      expect(await records('contacts', 'inn=0012345673')).toEqual([]);
    });
  });

  describe('briefReport', () => {
    const HREF = /^https:\/\/focus-lite\.kontur\.ru\/briefReport\?ogrn=(\d{13}|\d{15})&mac=[0-9a-f]{32}&ltoken=[0-9a-f]{32}$/;

    it('carries req’s flags and a one-time link that differs on every call', async () => {
      const first = await records('briefReport', 'inn=6663003127,7700000009');
      const second = await records('briefReport', 'inn=6663003127,7700000009');
      const req = await records('req', 'inn=6663003127,7700000009');
      expect(first).toHaveLength(2);
      for (const record of first) {
        const reqRecord = req.find((r) => r.ogrn === record.ogrn)!;
        expect(record).toEqual({
          inn: reqRecord.inn,
          ogrn: reqRecord.ogrn,
          focusHref: reqRecord.focusHref,
          briefReport: { summary: reqRecord.briefReport.summary, href: expect.stringMatching(HREF) },
        });
        expect(record.briefReport.href).toContain(`ogrn=${record.ogrn}&`);
        const again = second.find((r) => r.ogrn === record.ogrn)!;
        expect(again.briefReport.summary).toEqual(record.briefReport.summary);
        expect(again.briefReport.href).not.toBe(record.briefReport.href);
      }
    });

    it('answers a PDF for pdf=true and one identifier, 400 for several', async () => {
      const pdf = await get(`briefReport?key=${KEY}&inn=7700000009&pdf=true`);
      expect(pdf.status).toBe(200);
      expect(pdf.type).toBe('application/pdf');
      expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.body.toString('latin1')).toContain('(INN: 7700000009)');
      expect(await getText(`briefReport?key=${KEY}&inn=7700000009,6663003127&pdf=true`)).toEqual({
        status: 400,
        type: TEXT,
        body: 'only one inn/ogrn is allowed',
      });
    });
  });

  describe('fssp', () => {
    it('pages 2,500 proceedings of a "250" INN as 1000 + 1000 + 500 + 0, newest first, officialNum unique', async () => {
      const pages: AnyRecord[][] = [];
      for (const skip of [0, 1000, 2000, 3000]) {
        const answer = await records('fssp', `inn=7725000000&skip=${skip}`);
        expect(answer).toHaveLength(1);
        expect(answer[0]).toMatchObject({ inn: '7725000000', updateDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
        pages.push(answer[0]!.fssp as AnyRecord[]);
      }
      expect(pages.map((page) => page.length)).toEqual([1000, 1000, 500, 0]);
      const items = pages.flat();
      expect(isNewestFirst(items.map((item) => item.startDate as string))).toBe(true);
      expect(new Set(items.map((item) => item.officialNum)).size).toBe(2500);
      // Legal-entity items always carry the document number and the department address.
      for (const item of items) {
        expect(item.officialNum).toMatch(/^\d+\/\d{2}\/\d{5}-ИП$/);
        expect(item).toHaveProperty('executoryDocumentNumber');
        expect(item).toHaveProperty('bailiffDepartmentAddress');
        if (item.cancelDate !== undefined)
          expect(item.returnedToClaimer === true || item.cancelledBecauseOfDissolvement === true).toBe(true);
      }
      expect(items.some((item) => item.topic === '')).toBe(true);
      expect(items.some((item) => item.returnedToClaimer === true)).toBe(true);
      expect(JSON.stringify(items)).not.toMatch(/:(null|false)\b/);
    });

    it('treats an absent skip as 0, and a "120" INN has 1000 + 200', async () => {
      expect(await records('fssp', 'inn=7712000003')).toEqual(await records('fssp', 'inn=7712000003&skip=0'));
      expect((await allPages('fssp', 'inn=7712000003', 'fssp')).map((page) => page.length)).toEqual([1000, 200]);
    });

    it('gives sole proprietors poorer items, and no updateDate when they have none', async () => {
      const [old, current] = await records('fssp', 'inn=772500000006&skip=2000');
      expect(old).not.toHaveProperty('updateDate');
      expect(old!.fssp).toEqual([]);
      expect(current!.fssp).toHaveLength(500);
      for (const item of current!.fssp as AnyRecord[]) {
        expect(item).not.toHaveProperty('executoryDocumentNumber');
        expect(item).not.toHaveProperty('bailiffDepartmentAddress');
      }
      const [none] = await records('fssp', 'inn=770000000082');
      expect(none).toEqual({ inn: '770000000082', ogrn: expect.any(String), focusHref: expect.any(String), fssp: [] });
      expect((await records('fssp', 'inn=7700000009'))[0]).toMatchObject({ updateDate: expect.any(String), fssp: [] });
    });

    it('answers a captured INN with its page 0 file, and empty later pages with the same identity', async () => {
      expect(await records('fssp', 'inn=7452027843')).toEqual(fixture('7452027843_0.fssp.json'));
      expect(await records('fssp', 'inn=561100409545')).toEqual(fixture('561100409545_0.fssp.json'));
      const captured = fixture('7708503727_0.fssp.json')[0]!;
      expect(await records('fssp', 'inn=7708503727&skip=1000')).toEqual([
        { inn: captured.inn, ogrn: captured.ogrn, updateDate: captured.updateDate, focusHref: captured.focusHref, fssp: [] },
      ]);
      expect((await records('fssp', 'ogrn=1061515009555')).map((r) => r.ogrn)).toEqual(['1061515009555']);
    });

    it('refuses several identifiers and a skip that is not a multiple of 1000, even while a fault is active', async () => {
      emulator.injectFault({ fault: { kind: 'status', status: 500 } });
      const onlyOne = { status: 400, type: TEXT, body: 'only one inn/ogrn is allowed' };
      expect(await getText(`fssp?key=${KEY}&inn=7725000000,7700000009`)).toEqual(onlyOne);
      expect(await getText(`fssp?key=${KEY}&inn=7725000000&ogrn=1117746000008`)).toEqual(onlyOne);
      for (const skip of ['500', '-1000', 'abc']) {
        expect(await getText(`fssp?key=${KEY}&inn=7725000000&skip=${skip}`)).toMatchObject({ status: 400, type: TEXT });
      }
      expect((await getText(`fssp?key=${KEY}&inn=7725000000`)).status).toBe(500);
      expect(emulator.calls.map((call) => call.status)).toEqual([400, 400, 400, 400, 400, 500]);
      expect(emulator.calls[1]!.ids).toEqual(['7725000000', '1117746000008']);
    });

    it('pages exactly what setPages put in place, on the current registration', async () => {
      const items = Array.from({ length: 1500 }, (_, i) => ({ officialNum: `${1500 - i}/25/77001-ИП`, startDate: '2025-01-01' }));
      emulator.setPages('fssp', '770000000156', items);
      const [old, current] = await records('fssp', 'inn=770000000156');
      expect(old!.fssp).toEqual([]);
      expect(current!.fssp).toEqual(items.slice(0, 1000));
      expect(current!.updateDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const [byOgrn] = await records('fssp', `ogrn=${current!.ogrn}&skip=1000`);
      expect(byOgrn!.fssp).toEqual(items.slice(1000));
      expect(() => emulator.setPages('req' as never, '7700000009', [])).toThrow(TypeError);
    });
  });

  describe('govPurchasesOfParticipant and govPurchasesOfCustomer', () => {
    it('answers captured pages with the Cyrillic С of executionСompleted', async () => {
      const raw = (await getText(`govPurchasesOfParticipant?key=${KEY}&inn=4401006984`)).body;
      expect(raw).toContain('"contractStage":"execution\u0421ompleted"');
      expect(raw).not.toContain('executionCompleted');
      expect(JSON.parse(raw)).toEqual(fixture('4401006984_0.govPurchasesOfParticipant.json'));
      expect(await records('govPurchasesOfCustomer', 'inn=6658021579')).toEqual(fixture('6658021579_0.govPurchasesOfCustomer.json'));
    });

    it('answers a captured company without a captured page with an empty list', async () => {
      expect(await records('govPurchasesOfParticipant', 'inn=6663003127')).toEqual([
        {
          inn: '6663003127',
          ogrn: '1026605606620',
          focusHref: 'https://focus.kontur.ru/entity?query=1026605606620',
          purchasesOfParticipant: [],
        },
      ]);
      expect((await records('govPurchasesOfCustomer', 'inn=7736050003')).map((r) => r.purchasesOfCustomer)).toEqual([[], []]);
    });

    it('names hundreds of distinct, checksum-valid participant companies on one synthetic page', async () => {
      const [record] = await records('govPurchasesOfCustomer', 'inn=7725000000');
      const purchases = record!.purchasesOfCustomer as AnyRecord[];
      expect(purchases).toHaveLength(1000);
      const participantInns = new Set(purchases.flatMap((p) => (p.participants as AnyRecord[]).map((x) => x.inn).filter(Boolean)));
      expect(participantInns.size).toBeGreaterThanOrEqual(200);
      expect([...participantInns].every((id) => isValidInn(id as string))).toBe(true);
      // Every participant is a company the registry knows: 100 of them cost one req call with 100 records back.
      const hundred = [...participantInns].slice(0, 100) as string[];
      const req = await records('req', `inn=${hundred.join(',')}`);
      expect(new Set(req.map((r) => r.inn))).toEqual(new Set(hundred));
      expect(purchases.every((p) => (p.customers as AnyRecord[])[0]!.inn === '7725000000')).toBe(true);
    });

    it('reproduces the captured shapes', async () => {
      const pages = await allPages('govPurchasesOfCustomer', 'inn=7725000000', 'purchasesOfCustomer');
      expect(pages.map((page) => page.length)).toEqual([1000, 1000, 500]);
      const purchases = pages.flat();
      expect(isNewestFirst(purchases.map((p) => p.publicationDate as string))).toBe(true);
      expect(new Set(purchases.map((p) => `${p.purchaseNumber}/${p.contractNumber}`)).size).toBe(2500);
      const contractOnly = purchases.filter((p) => p.purchaseNumber === undefined);
      expect(contractOnly.length).toBeGreaterThan(0);
      for (const p of contractOnly) {
        expect(p.contractNumber).toBeDefined();
        expect(p).not.toHaveProperty('startPrice');
        expect(p).not.toHaveProperty('selectionTypeDescription');
        expect(p).not.toHaveProperty('purchaseObjects');
      }
      const rNumbers = purchases.filter((p) => String(p.purchaseNumber).startsWith('R'));
      expect(rNumbers.length).toBeGreaterThan(0);
      for (const p of rNumbers) expect(p.startPrice).toEqual({ sum: expect.any(Number) });
      expect(purchases.some((p) => (p.customers as AnyRecord[]).length >= 2)).toBe(true);
      const participants = purchases.flatMap((p) => p.participants as AnyRecord[]);
      expect(participants.some((x) => x.inn === undefined && typeof x.name === 'string')).toBe(true);
      expect(participants.some((x) => x.isNotAdmitted === true)).toBe(true);
      expect(participants.some((x) => x.isWinner === true && x.hasContract === true)).toBe(true);
      expect(new Set(purchases.map((p) => p.purchaseType))).toEqual(new Set(['Fz44', 'Fz223']));
      const stages = new Set(purchases.map((p) => p.contractStage).filter(Boolean));
      expect(stages).toEqual(new Set(['execution', 'execution\u0421ompleted', 'executionTerminated']));
      for (const object of purchases.flatMap((p) => (p.purchaseObjects ?? []) as AnyRecord[])) {
        expect(Array.isArray(object.okdps) && Array.isArray(object.okpds) && Array.isArray(object.okpd2s)).toBe(true);
      }
      expect(JSON.stringify(purchases)).not.toMatch(/:(null|false)\b/);
    });

    it('lists the company itself among the participants of its own purchases', async () => {
      const [record] = await records('govPurchasesOfParticipant', 'inn=7712000003&skip=1000');
      const purchases = record!.purchasesOfParticipant as AnyRecord[];
      expect(purchases).toHaveLength(200);
      for (const p of purchases) expect((p.participants as AnyRecord[]).some((x) => x.inn === '7712000003')).toBe(true);
      expect(purchases.some((p) => (p.participants as AnyRecord[]).some((x) => x.inn === '7712000003' && x.hasContract))).toBe(true);
    });

    it('pages setPages items under the payload key', async () => {
      const items = Array.from({ length: 1001 }, (_, i) => ({ purchaseNumber: String(i) }));
      emulator.setPages('govPurchasesOfParticipant', '7700000009', items);
      expect((await allPages('govPurchasesOfParticipant', 'inn=7700000009', 'purchasesOfParticipant')).map((p) => p.length)).toEqual([
        1000, 1,
      ]);
    });
  });

  describe('excerpt and finan', () => {
    /** Every xref entry points at its object, startxref at the table, /Length at the stream's exact size. */
    function expectValidPdf(pdf: Buffer): string {
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF-1.4\n')).toBe(true);
      expect(text.endsWith('%%EOF')).toBe(true);
      const startxref = Number(/startxref\n(\d+)\n%%EOF$/.exec(text)![1]);
      expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
      const lines = text.slice(startxref).split('\n');
      const count = Number(lines[1]!.split(' ')[1]);
      lines.slice(3, 2 + count).forEach((entry, i) => {
        expect(entry).toMatch(/^\d{10} 00000 n $/);
        expect(text.slice(Number(entry.slice(0, 10))).startsWith(`${i + 1} 0 obj\n`)).toBe(true);
      });
      const stream = /\/Length (\d+) >>\nstream\n([\s\S]*?)\nendstream/.exec(text)!;
      expect(Buffer.byteLength(stream[2]!, 'latin1')).toBe(Number(stream[1]));
      return text;
    }

    it('answers a small valid PDF naming the company, the same bytes every time', async () => {
      for (const method of ['excerpt', 'finan']) {
        const first = await get(`${method}?key=${KEY}&inn=7700000009`);
        expect(first.status).toBe(200);
        expect(first.type).toBe('application/pdf');
        expect(first.headers.get('content-disposition')).toBe(`attachment; filename="${method}_7700000009.pdf"`);
        const text = expectValidPdf(first.body);
        expect(text).toContain('(INN: 7700000009)');
        expect(text).toContain('Alyans-M');
        expect((await get(`${method}?key=${KEY}&inn=7700000009`)).body.equals(first.body)).toBe(true);
      }
      const excerpt = await get(`excerpt?key=${KEY}&inn=6663003127`);
      const finan = await get(`finan?key=${KEY}&inn=6663003127`);
      expect(excerpt.body.equals(finan.body)).toBe(false);
      expectValidPdf(excerpt.body);
      expect(expectValidPdf(finan.body)).toContain('(INN: 6663003127)');
      expect(expectValidPdf((await get(`excerpt?key=${KEY}&ogrn=1061515009555`)).body)).toContain('(OGRN: 1061515009555)');
    });

    it('answers 404 text for an unknown company and 400 for several identifiers', async () => {
      expect(await getText(`excerpt?key=${KEY}&inn=0012345673`)).toEqual({ status: 404, type: TEXT, body: 'Not found' });
      expect(await getText(`finan?key=${KEY}&inn=0012345673`)).toEqual({ status: 404, type: TEXT, body: 'Not found' });
      expect((await getText(`excerpt?key=${KEY}&inn=7700000009,6663003127`)).status).toBe(400);
      expect((await getText(`excerpt?key=wrong&inn=7700000009`)).status).toBe(403);
    });
  });

  describe('stat', () => {
    it('needs only the key and counts successful calls per method', async () => {
      const stat = JSON.parse((await getText(`stat?key=${KEY}`)).body) as AnyRecord[];
      const methods = stat.map((row) => row.methodName);
      for (const method of [
        'req',
        'contacts',
        'briefReport',
        'fssp',
        'govPurchasesOfParticipant',
        'govPurchasesOfCustomer',
        'excerpt',
        'finan',
        'req/mon',
        'egrDetails/mon',
        'monList',
      ]) {
        expect(methods).toContain(method);
      }
      expect(methods).not.toContain('stat');
      for (const row of stat) {
        expect(row).toEqual({
          methodName: expect.any(String),
          limit: 100000,
          spent: expect.any(Number),
          limitType: expect.stringMatching(/^(Requests|LegalEntities|Persons)$/),
          periodStartDate: expect.stringMatching(/^\d{4}-01-01$/),
          periodEndDate: expect.stringMatching(/^\d{4}-12-31$/),
        });
      }
      const before = await spent('req');
      await records('req', 'inn=7700000009');
      expect(await spent('req')).toBe(before + 1);
      await getText(`req?key=${KEY}&inn=123`);
      await getText(`req?key=wrong&inn=7700000009`);
      expect(await spent('req')).toBe(before + 1);
    });

    it('does not bill contacts calls that find no number', async () => {
      const before = await spent('contacts');
      await records('contacts', 'inn=7700000009');
      expect(await spent('contacts')).toBe(before);
      await records('contacts', 'inn=7700000030');
      expect(await spent('contacts')).toBe(before + 1);
    });

    it('ignores identifiers and logs stat calls without ids', async () => {
      expect((await getText(`stat?key=${KEY}&inn=7700000009`)).status).toBe(200);
      expect((await getText('stat?key=nope')).status).toBe(403);
      expect(emulator.calls.map(({ method, ids, status }) => ({ method, ids, status }))).toEqual([
        { method: 'stat', ids: [], status: 200 },
        { method: 'stat', ids: [], status: 403 },
      ]);
    });
  });

  describe('monList and the change feeds', () => {
    const post = (query: string, body: string, type = 'text/plain; charset=utf-8') =>
      get(`monList?key=${KEY}&${query}`, { method: 'POST', headers: { 'content-type': type }, body });
    const pairs = (response: { body: Buffer }): AnyRecord[] => JSON.parse(response.body.toString('utf8')) as AnyRecord[];

    it('replaces the list with append=false and adds to it with append=true', async () => {
      const replaced = await post('append=false', '7700000009, 6663003127\n0012345673;bogus 1027700070518');
      expect(replaced.status).toBe(200);
      expect(replaced.type).toBe(JSON_TYPE);
      expect(pairs(replaced)).toEqual([
        { inn: '7700000009', ogrn: '1117746000008' },
        { inn: '6663003127', ogrn: '1026605606620' },
        { inn: '7736050003', ogrn: '1027700070518' },
      ]);
      const appended = await post('append=true', encodeURIComponent('770000000156 7700000009'), 'application/x-www-form-urlencoded');
      expect(pairs(appended).map((pair) => pair.ogrn)).toEqual([
        '1117746000008',
        '1026605606620',
        '1027700070518',
        '306774600000105',
        '310774600000119',
      ]);
      expect(JSON.parse((await getText(`monList?key=${KEY}`)).body)).toEqual(pairs(appended));
      expect(emulator.monitored()).toEqual(pairs(appended));
      expect(pairs(await post('append=false', '5053051872'))).toEqual([{ inn: '5053051872', ogrn: '1075053002903' }]);
      expect(emulator.calls.every((call) => call.method === 'monList' && call.ids.length === 0)).toBe(true);
      expect((await get(`monList?key=${KEY}`, { method: 'PUT', body: 'x' })).status).toBe(405);
      expect(await post('append=true', '7700000009').then((r) => r.status)).toBe(200);
      expect((await get(`monList?key=wrong`, { method: 'POST', body: '7700000009' })).status).toBe(403);
    });

    it('answers req/mon with exactly what setChanges dictated', async () => {
      emulator.setChanges('req', '2025-03-14', ['6663003127', '7700000009', '0012345673']);
      expect(JSON.parse((await getText(`req/mon?key=${KEY}&date=2025-03-14`)).body)).toEqual([
        { inn: '6663003127', ogrn: '1026605606620' },
        { inn: '7700000009', ogrn: '1117746000008' },
        { inn: '0012345673' },
      ]);
      emulator.setChanges('egrDetails', '2025-03-14', []);
      expect(JSON.parse((await getText(`egrDetails/mon?key=${KEY}&date=2025-03-14`)).body)).toEqual([]);
      expect(() => emulator.setChanges('req', '14.03.2025', [])).toThrow(TypeError);
    });

    it('otherwise reports about a quarter of the monitored companies, deterministically', async () => {
      const monitored = Array.from({ length: 40 }, (_, i) => inn(`77000${String(i).padStart(4, '0')}`));
      await post('append=false', monitored.join(','));
      for (const scope of ['req', 'egrDetails']) {
        const answer = JSON.parse((await getText(`${scope}/mon?key=${KEY}&date=2025-02-03`)).body) as AnyRecord[];
        const expected = emulator.monitored().filter((pair) => fnv1a(`${pair.inn}2025-02-03${scope}`) % 4 === 0);
        expect(answer).toEqual(expected);
        expect(answer.length).toBeGreaterThan(0);
        expect(answer.length).toBeLessThan(40);
      }
    });

    it('answers 400 text for a missing or malformed date', async () => {
      for (const query of ['', '&date=', '&date=2025-02-30', '&date=03.02.2025']) {
        expect(await getText(`req/mon?key=${KEY}${query}`)).toEqual({
          status: 400,
          type: TEXT,
          body: 'date param is not specified or is not YYYY-MM-DD',
        });
      }
      expect((await getText(`egrDetails/mon?key=${KEY}`)).status).toBe(400);
      expect((await getText(`req/mon?date=2025-02-03`)).status).toBe(403);
    });
  });
});
