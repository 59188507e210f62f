import net from 'node:net';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CacheStore } from '../../src/cache/store.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { legalEntityInns } from '../support/inns.ts';
import { withSubgraph } from '../support/subgraph.ts';

function memoryStore(maxEntries = 10) {
  return new CacheStore({ url: undefined, namespace: 'cache-test', maxEntries, operationTimeoutMs: 500 }, createLogger('silent'));
}

describe('cache store', () => {
  it('drops an entry when its TTL passes', async () => {
    const store = memoryStore();
    await store.setMany([
      { key: 'short', value: { n: 1 }, ttlMs: 80 },
      { key: 'long', value: { n: 2 }, ttlMs: 60_000 },
    ]);
    expect(await store.getMany(['short', 'long'])).toEqual([{ n: 1 }, { n: 2 }]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await store.getMany(['short', 'long'])).toEqual([undefined, { n: 2 }]);
  });

  it('is bounded: the least recently used entry goes first', async () => {
    const store = memoryStore(2);
    await store.setMany([
      { key: 'a', value: 1, ttlMs: 60_000 },
      { key: 'b', value: 2, ttlMs: 60_000 },
    ]);
    await store.getMany(['a']);
    await store.setMany([{ key: 'c', value: 3, ttlMs: 60_000 }]);
    expect(await store.getMany(['a', 'b', 'c'])).toEqual([1, undefined, 3]);
  });

  it('closes within 2 s even when "Redis" accepts connections and never answers (a shutdown never hangs on it)', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const store = new CacheStore(
      {
        url: `redis://127.0.0.1:${(silent.address() as net.AddressInfo).port}`,
        namespace: 'hung',
        maxEntries: 10,
        operationTimeoutMs: 200,
      },
      createLogger('silent'),
    );
    const started = performance.now();
    await store.close();
    const ms = performance.now() - started;
    for (const socket of sockets) socket.destroy();
    silent.close();
    expect(ms).toBeLessThan(2_500);
  });

  it('with Redis unreachable, reads are misses and writes are dropped, without throwing', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _e, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const store = new CacheStore(
      { url: 'redis://127.0.0.1:1', namespace: 'x', maxEntries: 10, operationTimeoutMs: 500 },
      createLogger('warn', sink),
    );
    expect(await store.connect(1_000)).toBe(false);
    await store.setMany([{ key: 'a', value: 1, ttlMs: 1000 }]);
    expect(await store.getMany(['a', 'b'])).toEqual([undefined, undefined]);
    expect(await store.ping()).toBe(false);
    expect(lines.join('')).toContain('cache store failed; answering from the vendor');
    await store.close();
  });
});

describe('cached values of the wrong shape', () => {
  const env = withSubgraph();

  it('are treated as misses: the company is fetched again and answers normally', async () => {
    const [inn] = legalEntityInns(1, 41);
    const key = env.subgraph.services.modules.focus.batchers.req.key(inn!);
    await env.subgraph.services.cache.setMany([{ key, value: { something: 'else' }, ttlMs: 60_000 }]);
    env.emulator.resetCalls();
    const result = await env.subgraph.gql(`{ company(inn: "${inn}") { inn kpp } }`);
    expect(result.data.company).toEqual({ inn, kpp: `${inn!.slice(0, 4)}01001` });
    expect(env.emulator.callsTo('req')).toHaveLength(1);
    expect(env.subgraph.services.modules.focus.batchers.req.inFlightCount).toBe(0);
  });
});

describe('cache store memory bound', () => {
  it('evicts the least recently used values once their total size passes the bound', async () => {
    const store = new CacheStore(
      { url: undefined, namespace: 'size', maxEntries: 1000, maxMemoryBytes: 64 * 1024, operationTimeoutMs: 500 },
      createLogger('silent'),
    );
    const big = 'x'.repeat(20_000); // about 20 kB on the heap (one byte per Latin-1 character)
    await store.setMany([0, 1, 2, 3].map((i) => ({ key: `k${i}`, value: big, ttlMs: 60_000 })));
    const present = (await store.getMany(['k0', 'k1', 'k2', 'k3'])).map((value) => value !== undefined);
    expect(present).toEqual([false, true, true, true]);
  });
});
