import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../src/observability/logger.ts';

describe('log redaction', () => {
  it('removes credentials from URLs in the message, nested fields and errors', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.warn({}, 'GET https://focus-api.kontur.ru/api3/req?inn=1&key=SECRET1 failed');
    logger.warn({ nested: { url: 'https://x/api3/req?key=SECRET2&inn=2' } }, 'nested');
    logger.warn({ err: new Error('connect failed for /api3/req?key=SECRET3') }, 'error');
    logger.warn({ headers: { authorization: 'Bearer SECRET4' } }, 'headers');
    const text = lines.join('');
    for (const secret of ['SECRET1', 'SECRET2', 'SECRET3', 'SECRET4']) expect(text).not.toContain(secret);
    expect(JSON.parse(lines[0]!).msg).toBe('GET https://focus-api.kontur.ru/api3/req?inn=1&key=*** failed');
    expect(JSON.parse(lines[1]!).nested.url).toBe('https://x/api3/req?key=***&inn=2');
    expect(JSON.parse(lines[3]!).headers.authorization).toBe('***');
  });

  it('redactUrl keeps everything but the credential values', () => {
    expect(redactUrl('http://h/api3/req?inn=1,2&key=abc&x=1')).toBe('http://h/api3/req?inn=1,2&key=***&x=1');
    expect(redactUrl('no url here')).toBe('no url here');
  });
});
