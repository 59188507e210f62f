import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.ts';
import { FocusClient } from '../../src/modules/kontur-focus/vendor/client.ts';
import { VendorError } from '../../src/errors.ts';
import { Metrics } from '../../src/observability/metrics.ts';

const KEY = 'client-test-secret-key-42';
const REQ_RECORD = [{ inn: '6663003127', ogrn: '1026605606620', UL: { kpp: '668601001' } }];

type Reply = (res: http.ServerResponse) => void;

/** A loopback server answering each request with the next scripted reply (the last one repeats). */
async function scripted(replies: Reply[]) {
  const urls: string[] = [];
  const server = http.createServer((req, res) => {
    urls.push(req.url ?? '');
    const reply = replies[Math.min(urls.length - 1, replies.length - 1)]!;
    reply(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api3`;
  return {
    base,
    urls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
const text =
  (status: number, body: string, headers: Record<string, string> = {}): Reply =>
  (res) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
    res.end(body);
  };

let cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanup.map((fn) => fn()));
  cleanup = [];
});

function client(base: string, options: { timeoutMs?: number; retries?: number } = {}) {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _e, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const focus = new FocusClient(
    {
      baseUrl: base,
      apiKey: KEY,
      timeoutMs: options.timeoutMs ?? 2_000,
      retries: options.retries ?? 2,
      connections: 2,
      breaker: { errorPercent: 50, minCalls: 100, windowMs: 10_000, resetMs: 1_000 },
    },
    createLogger('debug', sink),
    new Metrics({ processMetrics: false }),
  );
  cleanup.push(() => focus.close());
  return { focus, lines };
}

async function failure(promise: Promise<unknown>): Promise<VendorError> {
  try {
    await promise;
  } catch (error) {
    return error as VendorError;
  }
  throw new Error('expected a failure');
}

describe('Kontur.Focus client', () => {
  it('sends the key as ?key= and the ids comma-separated, and parses the array', async () => {
    const server = await scripted([json(200, REQ_RECORD)]);
    cleanup.push(server.close);
    const { focus } = client(server.base);
    const records = await focus.getBatch('req', 'inn', ['6663003127', '7736050003']);
    expect(records[0]!.UL!.kpp).toBe('668601001');
    expect(records[0]!.UL!.heads).toEqual([]);
    expect(server.urls).toEqual([`/api3/req?inn=6663003127%2C7736050003&key=${KEY}`]);
  });

  it('retries 500 twice then succeeds: exactly 3 calls', async () => {
    const server = await scripted([text(500, 'oops'), text(502, 'bad gateway'), json(200, REQ_RECORD)]);
    cleanup.push(server.close);
    const { focus } = client(server.base);
    const records = await focus.getBatch('req', 'inn', ['6663003127']);
    expect(records).toHaveLength(1);
    expect(server.urls).toHaveLength(3);
  });

  it('gives up after FOCUS_RETRIES with VENDOR_UNAVAILABLE: 1 + 2 calls', async () => {
    const server = await scripted([text(503, 'down')]);
    cleanup.push(server.close);
    const { focus } = client(server.base);
    const error = await failure(focus.getBatch('req', 'inn', ['6663003127']));
    expect(error.extensions.code).toBe('VENDOR_UNAVAILABLE');
    expect(error.message).toBe('Kontur.Focus req is unavailable (HTTP 503)');
    expect(server.urls).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    const server = await scripted([text(429, 'slow down', { 'retry-after': '1' }), json(200, REQ_RECORD)]);
    cleanup.push(server.close);
    const { focus } = client(server.base);
    const started = Date.now();
    await focus.getBatch('req', 'inn', ['6663003127']);
    expect(server.urls).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('a rejected key is VENDOR_AUTH_FAILED at once (no retry) and the key is in neither the error nor the log', async () => {
    const server = await scripted([text(403, `No valid key specified: ${KEY}`)]);
    cleanup.push(server.close);
    const { focus, lines } = client(server.base);
    const error = await failure(focus.getBatch('req', 'inn', ['6663003127']));
    expect(error.extensions.code).toBe('VENDOR_AUTH_FAILED');
    expect(server.urls).toHaveLength(1);
    expect(JSON.stringify({ message: error.message, extensions: error.extensions })).not.toContain(KEY);
    expect(lines.join('')).not.toContain(KEY);
    expect(lines.join('')).toContain('No valid key specified: ***');
  });

  it('a hanging vendor is VENDOR_TIMEOUT after FOCUS_TIMEOUT, not retried', async () => {
    const server = await scripted([() => undefined]);
    cleanup.push(server.close);
    const { focus } = client(server.base, { timeoutMs: 300 });
    const error = await failure(focus.getBatch('req', 'inn', ['6663003127']));
    expect(error.extensions.code).toBe('VENDOR_TIMEOUT');
    expect(error.message).toBe('Kontur.Focus req did not answer within 300 ms');
    expect(server.urls).toHaveLength(1);
  });

  it.each([
    [
      'malformed JSON',
      json(200, 'x'),
      (res: http.ServerResponse) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('[{"inn": ');
      },
      'Kontur.Focus req answered with malformed JSON',
    ],
    [
      'an HTML page',
      text(200, ''),
      (res: http.ServerResponse) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>maintenance</html>');
      },
      'Kontur.Focus req answered with text/html instead of JSON',
    ],
    ['a wrong shape', text(200, ''), json(200, { error: 'no' }), 'Kontur.Focus req answered with an unexpected shape'],
  ])('%s is VENDOR_BAD_RESPONSE', async (_name, _unused, reply, message) => {
    const server = await scripted([reply]);
    cleanup.push(server.close);
    const { focus } = client(server.base);
    const error = await failure(focus.getBatch('req', 'inn', ['6663003127']));
    expect(error.extensions.code).toBe('VENDOR_BAD_RESPONSE');
    expect(error.message).toBe(message);
    expect(server.urls).toHaveLength(1);
  });
});
