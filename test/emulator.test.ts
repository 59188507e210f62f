import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { innCheckDigits, isValidInn, isValidOgrn, ogrnCheckDigit } from '../src/domain/identifiers.ts';
import { fixturesDir } from '../src/paths.ts';
import { startFocusEmulator, type FocusEmulator } from '../src/vendors/kontur-focus/emulator/server.ts';

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
      expect(statuses()).toEqual([['req', 500], ['req', 500], ['req', 200]]);
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
      expect(statuses()).toEqual([['req', 200], ['req', 200], ['req', 200]]);
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
      expect(statuses()).toEqual([['req', 200], ['analytics', 502], ['req', 200]]);
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
      expect(statuses()).toEqual([['req', 200], ['req', 500], ['buh', 500], ['req', 200]]);
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
      expect(statuses()).toEqual([['req', 403], ['req', 400], ['req', 500]]);
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
      const rule = { fault: { kind: 'status', status: 502, body: 'Bad Gateway' }, times: 2, methods: ['req'], whenIdsInclude: ['6663003127'] };
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
