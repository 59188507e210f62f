import { createClient } from '@redis/client';
import { afterAll, describe, expect, it } from 'vitest';
import { CacheStore, CACHE_KEY_VERSION } from '../../src/cache/store.ts';
import { decode, encode } from '../../src/cache/codec.ts';
import { sharedWord } from '../../src/cache/heap-size.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { reachable } from '../support/processes.ts';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redisUp = await reachable(REDIS_URL);
if (!redisUp) console.warn(`[cache-values.test] skipping the Redis round trips: no Redis reachable at ${REDIS_URL} (set REDIS_URL)`);

function memoryStore(maxMemoryBytes = 1024 ** 2, maxEntries = 10_000): CacheStore {
  return new CacheStore(
    { url: undefined, namespace: 'values', maxEntries, maxMemoryBytes, operationTimeoutMs: 500 },
    createLogger('silent'),
  );
}

/** A PDF's first bytes and every byte value once: base64 and UTF-8 mistakes would change some of them. */
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n%âãÏÓ\n', 'latin1'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))]);
const MONEY = '123456789012345678901234.57';
const AT = new Date('2026-03-01T09:30:15.123Z');

describe('in-memory store: values, not strings', () => {
  it('an answer read from the cache cannot be changed by its reader, nor can what the writer stored', async () => {
    const store = memoryStore();
    const company = { inn: '7707083893', shortName: 'ПАО СБЕРБАНК', heads: [{ fio: 'Греф Герман Оскарович' }] };
    await store.setMany([{ key: 'c', value: company, ttlMs: 60_000 }]);
    const [read] = await store.getMany<typeof company>(['c']);
    expect(() => {
      read!.shortName = 'changed';
    }).toThrow(TypeError);
    expect(() => read!.heads.push({ fio: 'x' })).toThrow(TypeError);
    expect(() => {
      company.heads[0]!.fio = 'changed';
    }).toThrow(TypeError);
    expect(await store.getMany(['c'])).toEqual([
      { inn: '7707083893', shortName: 'ПАО СБЕРБАНК', heads: [{ fio: 'Греф Герман Оскарович' }] },
    ]);
  });

  it('a value read from the cache can be stored again, inside another', async () => {
    const store = memoryStore();
    await store.setMany([{ key: 'a', value: { completedThrough: '2026-03-01' }, ttlMs: 60_000 }]);
    const [read] = await store.getMany<{ completedThrough: string }>(['a']);
    await store.setMany([{ key: 'b', value: { fetchedAt: 1, value: read, attemptedAt: 2 }, ttlMs: 60_000 }]);
    expect(await store.getMany(['b'])).toEqual([{ fetchedAt: 1, value: { completedThrough: '2026-03-01' }, attemptedAt: 2 }]);
  });

  it('bytes are kept as bytes, and each reader gets its own copy of them', async () => {
    const store = memoryStore();
    await store.setMany([{ key: 'pdf', value: { bytes: PDF, contentType: 'application/pdf' }, ttlMs: 60_000 }]);
    const [first] = await store.getMany<{ bytes: Buffer }>(['pdf']);
    expect(Buffer.isBuffer(first!.bytes)).toBe(true);
    first!.bytes.fill(0);
    const [second] = await store.getMany<{ bytes: Buffer }>(['pdf']);
    expect(second!.bytes.equals(PDF)).toBe(true);
    // Counted as bytes: 272 bytes and ~200 of wrappers, not the 2 × base64 length a string would cost.
    expect(store.usage()!.bytes).toBeGreaterThan(272);
    expect(store.usage()!.bytes).toBeLessThan(272 + 600);
  });

  it('the memory bound evicts by size: filled past CACHE_MAX_MEMORY, the oldest entries go and the total stays under it', async () => {
    const bound = 64 * 1024;
    const store = memoryStore(bound);
    // Each entry, estimated: object 24 + 2 slots 16, array 48 + 100 slots 800, 100 strings of 20 Latin-1 characters
    // 100 × 40, key ~24 and index 120 → about 5,030 bytes: 13 fit in 64 kB.
    const entry = (i: number) => ({ i, names: Array.from({ length: 100 }, (_, j) => `name-${i}-${j}`.padEnd(20, '.')) });
    await store.setMany(Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: entry(i), ttlMs: 60_000 })));
    const present = (await store.getMany<{ i: number }>(Array.from({ length: 40 }, (_, i) => `k${i}`))).map((value) => value?.i);
    const kept = present.filter((i) => i !== undefined);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, n) => 40 - kept.length + n));
    expect(kept.length).toBe(13);
    expect(store.usage()!.entries).toBe(13);
    expect(store.usage()!.bytes).toBeLessThanOrEqual(bound);
    expect(store.usage()!.bytes).toBeGreaterThan(bound - 5_600);
  });

  it('a word the mappings share is counted once: an entry holding it costs its slot, not another copy', async () => {
    const store = memoryStore();
    const word = ['Общество с ограниченной', 'ответственностью (тест)'].join(' ');
    await store.setMany([{ key: 'before', value: { opf: word.slice(0) }, ttlMs: 60_000 }]);
    const before = store.usage()!.bytes;
    sharedWord(word);
    await store.setMany([{ key: 'after', value: { opf: [word.slice(0, 10), word.slice(10)].join('') }, ttlMs: 60_000 }]);
    // 46 Cyrillic characters: a 16-byte header and 92 bytes, rounded to 112 — paid by the first entry only.
    expect(before - (store.usage()!.bytes - before)).toBe(112);
  });

  it('an entry larger than the whole bound is not stored', async () => {
    const store = memoryStore(4 * 1024);
    await store.setMany([{ key: 'big', value: 'x'.repeat(8 * 1024), ttlMs: 60_000 }]);
    expect(await store.getMany(['big'])).toEqual([undefined]);
    expect(store.usage()).toEqual({ entries: 0, bytes: 0 });
  });
});

describe('the codec of shared stores', () => {
  it('round-trips bytes, money strings and dates exactly; plain values cost one JSON.parse', () => {
    const value = { pdf: PDF, total: MONEY, at: AT, list: [PDF.subarray(0, 4), { on: '2026-03-01' }] };
    const text = encode(value);
    expect(text.startsWith('X')).toBe(true);
    const back = decode(text) as typeof value;
    expect(back.pdf.equals(PDF)).toBe(true);
    expect(back.total).toBe(MONEY);
    expect(back.at).toBeInstanceOf(Date);
    expect(back.at.toISOString()).toBe('2026-03-01T09:30:15.123Z');
    expect((back.list[0] as Buffer).equals(Buffer.from('%PDF'))).toBe(true);
    expect(back.list[1]).toEqual({ on: '2026-03-01' });
    expect(encode({ total: MONEY })).toBe(`J{"total":"${MONEY}"}`);
  });

  it("a value's own keys that look like markers, and an empty Buffer, come back as they were", () => {
    const value = { pdf: Buffer.alloc(0), at: AT, vendor: { '\u0000b': 0, '\u0000d': 'x', '\u0000\u0000z': [1] } };
    const back = decode(encode(value)) as typeof value;
    expect(Buffer.isBuffer(back.pdf)).toBe(true);
    expect(back.pdf.length).toBe(0);
    expect(back.at.toISOString()).toBe('2026-03-01T09:30:15.123Z');
    expect(back.vendor).toEqual({ '\u0000b': 0, '\u0000d': 'x', '\u0000\u0000z': [1] });
  });

  it('anything not written by this codec decodes to a miss', () => {
    expect(decode('{"value":{"inn":"7707083893"},"expires":null}')).toBeUndefined();
    expect(decode('Jnot json')).toBeUndefined();
    expect(decode('X999:{}')).toBeUndefined();
    expect(decode('X2:{"a":{"\u0000b":3}}')).toBeUndefined();
    expect(decode(42)).toBeUndefined();
  });
});

describe.skipIf(!redisUp)(`Redis round trips (${REDIS_URL})`, () => {
  const namespace = `values-test-${process.pid}-${Date.now()}`;
  const store = new CacheStore({ url: REDIS_URL, namespace, maxEntries: 10, operationTimeoutMs: 2_000 }, createLogger('silent'));
  const raw = createClient({ url: REDIS_URL });
  afterAll(async () => {
    const keys = raw.isOpen ? await raw.keys(`${namespace}*`) : [];
    if (keys.length > 0) await raw.del(keys);
    await raw.quit().catch(() => undefined);
    await store.close();
  });

  it('a PDF, a money string and a date come back byte for byte', async () => {
    await store.connect();
    const key = `${CACHE_KEY_VERSION}:roundtrip`;
    await store.setMany([{ key, value: { pdf: PDF, total: MONEY, at: AT }, ttlMs: 60_000 }]);
    const [back] = await store.getMany<{ pdf: Buffer; total: string; at: Date }>([key]);
    expect(back!.pdf.equals(PDF)).toBe(true);
    expect(back!.pdf.length).toBe(PDF.length);
    expect(back!.total).toBe(MONEY);
    expect(back!.at.getTime()).toBe(AT.getTime());
  });

  it('an entry in the old format (keyv’s default serialisation) is a miss, as is one of another version', async () => {
    await store.connect();
    await raw.connect();
    const key = `${CACHE_KEY_VERSION}:old-format`;
    await store.setMany([{ key, value: { inn: '7707083893' }, ttlMs: 60_000 }]);
    const [stored] = await raw.keys(`${namespace}*old-format`);
    expect(stored).toBeDefined();
    expect(await raw.get(stored!)).toMatch(/^J\{"value":\{"inn":"7707083893"\}/);

    await raw.set(stored!, '{"value":{"inn":"7707083893"},"expires":null}');
    expect(await store.getMany([key])).toEqual([undefined]);
    await raw.set(stored!.replace(`${CACHE_KEY_VERSION}:`, 'v2:'), '{"value":{"inn":"7707083893"},"expires":null}');
    expect(await store.getMany([`v2:old-format`])).toEqual([undefined]);
    expect(CACHE_KEY_VERSION).toBe('v3');
  });
});
