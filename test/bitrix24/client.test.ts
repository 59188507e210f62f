import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VendorError } from '../../src/errors.ts';
import { startBitrix24Emulator, type Bitrix24Emulator, type Bitrix24EmulatorOptions } from '../../src/modules/bitrix24/emulator/server.ts';
import { Bitrix24Client, encodeBitrixQuery, isReadMethod, type Bitrix24ClientOptions } from '../../src/modules/bitrix24/vendor/client.ts';
import { B24Id } from '../../src/modules/bitrix24/vendor/schemas.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { Metrics } from '../../src/observability/metrics.ts';
import { RateLimiter } from '../../src/vendors/rate-limiter.ts';

/** Long and distinctive, so a leak anywhere is found by plain substring search (and by 8-character pieces). */
const SECRET = 'b24Client_Secret_x7Qp9Lm2ZrW4';
/** 2025-04-01T09:00:00Z */
const T0 = Date.parse('2025-04-01T09:00:00Z');

const Company = z.object({ ID: B24Id, TITLE: z.string() });

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

async function emulator(options: Partial<Bitrix24EmulatorOptions> = {}): Promise<Bitrix24Emulator> {
  const started = await startBitrix24Emulator({ secret: SECRET, rateLimit: null, ...options });
  cleanup.push(() => started.close());
  return started;
}

function client(webhookUrl: string, options: Partial<Bitrix24ClientOptions> = {}, now?: () => number) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const b24 = new Bitrix24Client(
    {
      webhookUrl,
      timeoutMs: 10_000,
      retries: 2,
      breaker: { errorPercent: 50, minCalls: 100, windowMs: 10_000, resetMs: 1_000 },
      limiter: new RateLimiter({ calls: 100, windowMs: 1_000 }),
      maxWaitMs: 5_000,
      ...options,
    },
    createLogger('debug', sink),
    new Metrics({ processMetrics: false }),
    now,
  );
  cleanup.push(() => b24.close());
  return { b24, lines };
}

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  try {
    await promise;
  } catch (error) {
    return error as VendorError;
  }
  throw new Error('expected a failure');
}

/** Every 8-character piece of the secret found in these texts. */
function leaked(texts: readonly string[]): string[] {
  const all = texts.join('\n');
  return Array.from({ length: SECRET.length - 7 }, (_, start) => SECRET.slice(start, start + 8)).filter((piece) => all.includes(piece));
}

describe('encodeBitrixQuery', () => {
  it('writes PHP bracket keys, URL-encoded, leaving out null and undefined, booleans as 1 and 0', () => {
    expect(
      encodeBitrixQuery({
        id: 5,
        fields: { TITLE: 'ООО «Ромашка» & Co', PHONE: [{ VALUE: '+7 495', VALUE_TYPE: 'WORK' }], OPENED: true, GONE: null },
        filter: { '>DATE_MODIFY': '2025-04-01T12:00:00+03:00' },
        select: ['ID', 'TITLE'],
        skip: undefined,
        flag: false,
      }),
    ).toBe(
      'id=5' +
        '&fields%5BTITLE%5D=%D0%9E%D0%9E%D0%9E%20%C2%AB%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0%C2%BB%20%26%20Co' +
        '&fields%5BPHONE%5D%5B0%5D%5BVALUE%5D=%2B7%20495&fields%5BPHONE%5D%5B0%5D%5BVALUE_TYPE%5D=WORK' +
        '&fields%5BOPENED%5D=1' +
        '&filter%5B%3EDATE_MODIFY%5D=2025-04-01T12%3A00%3A00%2B03%3A00' +
        '&select%5B0%5D=ID&select%5B1%5D=TITLE' +
        '&flag=0',
    );
    expect(encodeBitrixQuery({})).toBe('');
  });

  it('tells reads from writes by the method name', () => {
    expect(['crm.company.get', 'crm.requisite.list', 'crm.company.fields', 'profile', 'crm.enum.addresstype'].map(isReadMethod)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(
      ['crm.company.add', 'crm.requisite.update', 'tasks.task.add', 'im.notify.personal.add', 'crm.address.delete'].map(isReadMethod),
    ).toEqual([false, false, false, false, false]);
  });
});

describe('Bitrix24 client against the emulator', () => {
  it('calls a method and answers its result, parsed by the caller’s schema', async () => {
    const portal = await emulator();
    const id = portal.addCompany({ TITLE: 'ООО Ромашка' });
    const { b24 } = client(portal.url);
    expect(await b24.call('crm.company.get', { id }, Company)).toEqual({ ID: '1', TITLE: 'ООО Ромашка' });
    expect(portal.calls.map(({ method, params, encoding, status }) => ({ method, params, encoding, status }))).toEqual([
      { method: 'crm.company.get', params: { id: 1 }, encoding: 'json', status: 200 },
    ]);
  });

  it('sends a JSON POST to <base><method>.json (trailing slash optional), nothing else in the URL', async () => {
    const seen: Array<{ method?: string; url?: string; contentType?: string; body: string }> = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, contentType: req.headers['content-type'], body: Buffer.concat(chunks).toString() });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: { ID: 7, TITLE: 'x' }, time: {} }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { b24 } = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/1/${SECRET}`);
    expect(await b24.call('crm.company.get', { id: 7 }, Company)).toEqual({ ID: '7', TITLE: 'x' });
    expect(seen).toEqual([
      { method: 'POST', url: `/rest/1/${SECRET}/crm.company.get.json`, contentType: 'application/json', body: '{"id":7}' },
    ]);
  });

  it('lists every page: 120 rows in 3 requests with start 0, 50 and 100', async () => {
    const portal = await emulator();
    for (let i = 1; i <= 120; i++) portal.addCompany({ TITLE: `Компания ${i}` });
    const { b24 } = client(portal.url);
    const rows = await b24.listAll('crm.company.list', { select: ['ID', 'TITLE'], order: { ID: 'ASC' } }, Company);
    expect(rows).toHaveLength(120);
    expect(rows[0]).toEqual({ ID: '1', TITLE: 'Компания 1' });
    expect(rows[119]).toEqual({ ID: '120', TITLE: 'Компания 120' });
    expect(rows.map((row) => row.ID)).toEqual(Array.from({ length: 120 }, (_, i) => String(i + 1)));
    expect(portal.callsTo('crm.company.list').map((call) => call.params.start)).toEqual([0, 50, 100]);
    await expect(b24.listAll('crm.company.list', {}, Company, 100)).rejects.toThrow(
      new RangeError('Bitrix24 crm.company.list lists more than 100 rows'),
    );
  });

  it('runs a batch of 3 with one failing command: per-key answers, the failure not thrown; one request', async () => {
    const portal = await emulator();
    portal.addCompany({ TITLE: 'ООО Ромашка' });
    const { b24 } = client(portal.url);
    const answers = await b24.batch([
      { key: 'a', method: 'crm.company.get', params: { id: 1 } },
      { key: 'missing', method: 'crm.company.get', params: { id: 999 } },
      { key: 'rename', method: 'crm.company.update', params: { id: '$result[a][ID]', fields: { TITLE: 'ООО «Ромашка» & Co' } } },
    ]);
    expect([...answers.keys()]).toEqual(['a', 'missing', 'rename']);
    expect(answers.get('a')).toEqual({ ok: true, result: expect.objectContaining({ ID: '1', TITLE: 'ООО Ромашка' }) });
    expect(answers.get('missing')).toEqual({ ok: false, error: 'NOT_FOUND', description: 'Not found' });
    expect(answers.get('rename')).toEqual({ ok: true, result: true });
    expect(portal.company(1)!.TITLE).toBe('ООО «Ромашка» & Co');
    expect(portal.callsTo('batch')).toHaveLength(1);
    expect(portal.callsTo('batch')[0]!.params).toEqual({
      halt: 0,
      cmd: {
        a: 'crm.company.get?id=1',
        missing: 'crm.company.get?id=999',
        rename:
          'crm.company.update?id=%24result%5Ba%5D%5BID%5D&fields%5BTITLE%5D=%D0%9E%D0%9E%D0%9E%20%C2%AB%D0%A0%D0%BE%D0%BC%D0%B0%D1%88%D0%BA%D0%B0%C2%BB%20%26%20Co',
      },
    });
    expect(portal.callsTo('crm.company.update').map(({ params, encoding }) => ({ params, encoding }))).toEqual([
      { params: { id: '1', fields: { TITLE: 'ООО «Ромашка» & Co' } }, encoding: 'batch' },
    ]);
  });

  it('answers a list command of a batch with its total and next', async () => {
    const portal = await emulator();
    for (let i = 1; i <= 60; i++) portal.addCompany({ TITLE: `Компания ${i}` });
    const { b24 } = client(portal.url);
    const answers = await b24.batch([{ key: 'page', method: 'crm.company.list', params: { select: ['ID'] } }]);
    const page = answers.get('page')!;
    expect(page.ok && { rows: (page.result as unknown[]).length, total: page.total, next: page.next }).toEqual({
      rows: 50,
      total: 60,
      next: 50,
    });
  });

  it('refuses a batch above 50 commands before anything is sent', async () => {
    const portal = await emulator();
    const { b24 } = client(portal.url);
    const commands = Array.from({ length: 51 }, (_, i) => ({ key: `c${i}`, method: 'crm.company.get', params: { id: i + 1 } }));
    await expect(b24.batch(commands)).rejects.toThrow(new RangeError('a Bitrix24 batch holds at most 50 commands, not 51'));
    await expect(b24.batch([{ key: 'x[1]', method: 'profile', params: {} }])).rejects.toThrow(RangeError);
    expect(portal.calls).toEqual([]);
  });

  it('retries 503 QUERY_LIMIT_EXCEEDED after at least 1 s: one logical call, 3 HTTP requests', async () => {
    const portal = await emulator();
    portal.addCompany({ TITLE: 'ООО Ромашка' });
    portal.injectFault({ method: 'crm.company.get', status: 503, error: 'QUERY_LIMIT_EXCEEDED', count: 2 });
    const { b24 } = client(portal.url);
    const started = Date.now();
    expect(await b24.call('crm.company.get', { id: 1 }, Company)).toEqual({ ID: '1', TITLE: 'ООО Ромашка' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(portal.callsTo('crm.company.get').map((call) => call.status)).toEqual([503, 503, 200]);
  });

  it('fails VENDOR_RATE_LIMITED when 503 QUERY_LIMIT_EXCEEDED outlasts the retries', async () => {
    const portal = await emulator();
    portal.injectFault({ method: 'crm.company.get', status: 503, error: 'QUERY_LIMIT_EXCEEDED', count: 5 });
    const { b24 } = client(portal.url, { retries: 1 });
    const error = await failure(b24.call('crm.company.get', { id: 1 }, Company));
    expect(error).toBeInstanceOf(VendorError);
    expect(error.message).toBe('Bitrix24 rate limit reached for crm.company.get (HTTP 503 QUERY_LIMIT_EXCEEDED); try again later');
    expect(error.extensions).toEqual({
      code: 'VENDOR_RATE_LIMITED',
      vendor: 'bitrix24',
      method: 'crm.company.get',
      status: 503,
      vendorCode: 'QUERY_LIMIT_EXCEEDED',
      retryAfterSeconds: 1,
    });
    expect(portal.callsTo('crm.company.get')).toHaveLength(2);
  });

  it('asks a write again only when the portal provably did not run it: 503 QUERY_LIMIT_EXCEEDED yes, 500 no', async () => {
    const portal = await emulator();
    const { b24 } = client(portal.url);
    portal.injectFault({ method: 'crm.company.add', status: 503, error: 'QUERY_LIMIT_EXCEEDED', count: 1 });
    expect(await b24.call('crm.company.add', { fields: { TITLE: 'Первая' } }, B24Id)).toBe('1');
    expect(portal.callsTo('crm.company.add').map((call) => call.status)).toEqual([503, 200]);

    portal.resetCalls();
    portal.injectFault({ method: 'crm.company.add', status: 500, error: 'INTERNAL_SERVER_ERROR', count: 1 });
    const error = await failure(b24.call('crm.company.add', { fields: { TITLE: 'Вторая' } }, B24Id));
    expect(error.message).toBe('Bitrix24 crm.company.add is unavailable (HTTP 500 INTERNAL_SERVER_ERROR)');
    expect(error.extensions.code).toBe('VENDOR_UNAVAILABLE');
    expect(portal.callsTo('crm.company.add').map((call) => call.status)).toEqual([500]);
    expect(portal.company(2)).toBeUndefined();

    // A batch holding a write is a write: sent once on a 500.
    portal.resetCalls();
    portal.injectFault({ method: 'batch', status: 500, error: 'INTERNAL_SERVER_ERROR', count: 1 });
    const batchError = await failure(b24.batch([{ key: 'add', method: 'crm.company.add', params: { fields: { TITLE: 'Третья' } } }]));
    expect(batchError.extensions.code).toBe('VENDOR_UNAVAILABLE');
    expect(portal.callsTo('batch')).toHaveLength(1);
  });

  it('retries a read on 500 INTERNAL_SERVER_ERROR (limited), then answers', async () => {
    const portal = await emulator();
    portal.addCompany({ TITLE: 'ООО Ромашка' });
    portal.injectFault({ method: 'crm.company.get', status: 500, error: 'INTERNAL_SERVER_ERROR', count: 1 });
    const { b24 } = client(portal.url);
    expect(await b24.call('crm.company.get', { id: 1 }, Company)).toEqual({ ID: '1', TITLE: 'ООО Ромашка' });
    expect(portal.callsTo('crm.company.get').map((call) => call.status)).toEqual([500, 200]);
  });

  it('maps 401 INVALID_CREDENTIALS to VENDOR_AUTH_FAILED naming BITRIX24_WEBHOOK_URL, not retried', async () => {
    const portal = await emulator();
    const { b24 } = client(portal.url.replace(SECRET, 'wrong_Secret_Zq81kPw3'));
    const error = await failure(b24.call('crm.company.get', { id: 1 }, Company));
    expect(error.message).toBe(
      'Bitrix24 rejected the webhook (HTTP 401 INVALID_CREDENTIALS); check BITRIX24_WEBHOOK_URL: its secret, its user, and its scopes crm, task and im',
    );
    expect(error.extensions).toEqual({
      code: 'VENDOR_AUTH_FAILED',
      vendor: 'bitrix24',
      method: 'crm.company.get',
      status: 401,
      vendorCode: 'INVALID_CREDENTIALS',
    });
    expect(portal.calls).toHaveLength(1);
  });

  it('maps 429 OPERATION_TIME_LIMIT to VENDOR_RATE_LIMITED until the method’s budget resets, not retried', async () => {
    let now = T0;
    const portal = await emulator({ clock: () => now });
    portal.addCompany({ TITLE: 'ООО Ромашка' });
    const { b24 } = client(portal.url, {}, () => now);
    await b24.call('crm.company.get', { id: 1 }, Company); // its answer: operating_reset_at = T0 + 600 s
    portal.addOperatingTime('crm.company.get', 500);
    now = T0 + 90_000;
    const error = await failure(b24.call('crm.company.get', { id: 1 }, Company));
    expect(error.message).toBe('Bitrix24 rate limit reached for crm.company.get (HTTP 429 OPERATION_TIME_LIMIT); try again later');
    expect(error.extensions).toEqual({
      code: 'VENDOR_RATE_LIMITED',
      vendor: 'bitrix24',
      method: 'crm.company.get',
      status: 429,
      vendorCode: 'OPERATION_TIME_LIMIT',
      retryAfterSeconds: 510,
    });
    expect(portal.callsTo('crm.company.get').map((call) => call.status)).toEqual([200, 429]);
    // A method never answered before: no time known.
    portal.addOperatingTime('crm.company.list', 500);
    expect((await failure(b24.call('crm.company.list', {}, z.array(Company)))).extensions.retryAfterSeconds).toBeUndefined();
  });

  it('maps 404 ERROR_METHOD_NOT_FOUND and 400 to a refusal naming the vendor’s code', async () => {
    const portal = await emulator();
    const { b24 } = client(portal.url);
    const missing = await failure(b24.call('crm.nothing.get', {}, z.unknown()));
    expect(missing.message).toBe(
      'Bitrix24 crm.nothing.get refused the request (HTTP 404 ERROR_METHOD_NOT_FOUND: Method not found!); a misspelt method, or the webhook lacks its scope',
    );
    expect(missing.extensions).toEqual({
      code: 'VENDOR_BAD_RESPONSE',
      vendor: 'bitrix24',
      method: 'crm.nothing.get',
      status: 404,
      vendorCode: 'ERROR_METHOD_NOT_FOUND',
    });
    const notFound = await failure(b24.call('crm.company.get', { id: 999 }, Company));
    expect(notFound.message).toBe('Bitrix24 crm.company.get refused the request (HTTP 400 NOT_FOUND: Not found)');
    expect(notFound.extensions.vendorCode).toBe('NOT_FOUND');
    expect(portal.calls.map((call) => call.status)).toEqual([404, 400]);
  });

  it('answers a garbled body, or one without result, with VENDOR_BAD_RESPONSE', async () => {
    const bodies = ['<html>oops</html>', '{"result":', '{"time":{}}', '{"result":{"ID":{}}}'];
    const server = http.createServer((_req, res) => {
      const body = bodies.shift() ?? '';
      res.writeHead(200, { 'content-type': body.startsWith('<') ? 'text/html' : 'application/json' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { b24 } = client(`http://127.0.0.1:${(server.address() as AddressInfo).port}/rest/1/${SECRET}/`);
    const messages = [];
    for (let i = 0; i < 4; i++) {
      const error = await failure(b24.call('crm.company.get', { id: 1 }, Company));
      expect(error.extensions.code).toBe('VENDOR_BAD_RESPONSE');
      messages.push(error.message);
    }
    expect(messages).toEqual([
      'Bitrix24 crm.company.get answered with text/html instead of JSON',
      'Bitrix24 crm.company.get answered with malformed JSON',
      'Bitrix24 crm.company.get answered without a result',
      'Bitrix24 crm.company.get answered with an unexpected shape',
    ]);
  });

  it('takes a limiter token per request: 6 calls at 2/s take ≥ 2 s and the portal (2/s, bucket 2) never answers 503', async () => {
    const portal = await emulator({ rateLimit: { perSecond: 2, bucket: 2 } });
    portal.addCompany({ TITLE: 'ООО Ромашка' });
    portal.drainBucket();
    const { b24 } = client(portal.url, { limiter: new RateLimiter({ calls: 2, windowMs: 1_000 }) });
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, () => b24.call('crm.company.get', { id: 1 }, Company)));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(portal.callsTo('crm.company.get').map((call) => call.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });

  it('fails VENDOR_RATE_LIMITED unsent when the limiter would make it wait longer than maxWaitMs', async () => {
    const portal = await emulator();
    const { b24 } = client(portal.url, { limiter: new RateLimiter({ calls: 1, windowMs: 60_000 }), maxWaitMs: 100 });
    await b24.call('profile', {}, z.object({ ID: B24Id }));
    const error = await failure(b24.call('profile', {}, z.object({ ID: B24Id })));
    expect(error.extensions.code).toBe('VENDOR_RATE_LIMITED');
    expect(error.message).toMatch(/^Bitrix24 rate limit \(1 per 60 s\) reached; try again in \d+ s$/);
    expect(portal.callsTo('profile')).toHaveLength(1);
  });

  it('never lets the webhook secret into an error or a log line: 401, 503, a timeout, a refused connection', async () => {
    const portal = await emulator();
    const texts: string[] = [];
    const record = (error: VendorError) => texts.push(error.message, JSON.stringify(error.extensions));

    const { b24, lines } = client(portal.url, { timeoutMs: 1_500, retries: 1 });
    // The portal echoes the secret in its text: redacted before it reaches a log line.
    portal.injectFault({
      method: 'crm.company.get',
      status: 503,
      error: 'SERVICE_UNAVAILABLE',
      error_description: `down at ${portal.url}`,
      count: 5,
    });
    const down = await failure(b24.call('crm.company.get', { id: 1 }, Company));
    expect(down.extensions.code).toBe('VENDOR_UNAVAILABLE');
    record(down);
    portal.clearFaults();
    portal.injectFault({ method: 'crm.company.get', status: 400, error: SECRET, error_description: SECRET, count: 1 });
    const refused = await failure(b24.call('crm.company.get', { id: 1 }, Company));
    expect(refused.extensions.code).toBe('VENDOR_BAD_RESPONSE');
    record(refused);
    portal.setLatency(3_000);
    const slow = await failure(b24.call('crm.company.get', { id: 1 }, Company));
    expect(slow.extensions.code).toBe('VENDOR_TIMEOUT');
    record(slow);

    const { b24: wrong, lines: wrongLines } = client(portal.url.replace(SECRET, `${SECRET}X`));
    portal.setLatency(0);
    const rejected = await failure(wrong.call('crm.company.get', { id: 1 }, Company));
    expect(rejected.extensions.code).toBe('VENDOR_AUTH_FAILED');
    record(rejected);

    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { b24: gone, lines: goneLines } = client(`http://127.0.0.1:${port}/rest/1/${SECRET}/`, { timeoutMs: 5_000, retries: 2 });
    const unreachable = await failure(gone.call('crm.company.add', { fields: { TITLE: 'x' } }, B24Id));
    expect(unreachable.message).toBe('Bitrix24 crm.company.add could not be reached (ECONNREFUSED)');
    record(unreachable);
    // A write that never reached the portal is asked again: 3 attempts.
    expect(goneLines.filter((line) => line.includes('Bitrix24 transport error'))).toHaveLength(3);

    const logs = [...lines, ...wrongLines, ...goneLines];
    expect(logs.length).toBeGreaterThan(5);
    expect(leaked([...texts, ...logs])).toEqual([]);
  });
});
