import { HOLDER_ID } from './lease.ts';

/**
 * Claims on identifiers about to be fetched, shared by the replicas: before a replica calls a vendor for a chunk of
 * identifiers it claims each one's cache key for a short time; another replica missing the same key meanwhile waits
 * for the answer to appear in the store instead of paying for a second call. A claim lapses by itself when its holder
 * dies, so a crash costs a wait of at most the claim's lifetime, never an answer.
 */
export interface Claims {
  /** For each key, whether this process holds its claim now (taken now, or already its own and extended). */
  claim(keys: readonly string[]): Promise<boolean[]>;
  /** Gives up this process's claims on these keys (the answer is in the store, or the call failed). */
  release(keys: readonly string[]): Promise<void>;
}

/** The commands claims need of a Redis client (node-redis's names and shapes). */
export interface ClaimCommands {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

// One round trip per chunk, atomic: a key free or already ours is (re)claimed for ARGV[2] ms; anyone else's is left.
const CLAIM = `
local held = {}
for i, key in ipairs(KEYS) do
  if redis.call('set', key, ARGV[1], 'NX', 'PX', ARGV[2]) then
    held[i] = 1
  elseif redis.call('get', key) == ARGV[1] then
    redis.call('pexpire', key, ARGV[2])
    held[i] = 1
  else
    held[i] = 0
  end
end
return held`;

// Only our own claims are dropped: one that lapsed and went to another replica stays theirs.
const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[1] then redis.call('del', key) end
end
return 0`;

/**
 * Claims as Redis keys (SET NX PX per key, in one Lua script per chunk; the keys of a chunk must live on one Redis,
 * which is what this service is deployed with — a Redis Cluster would need hash tags).
 * Hand-written rather than a lock library: these are a hundred short claims per call, taken in one round trip and
 * never waited on by blocking — a waiter reads the store for the answer, which no lock library does for us.
 */
export class RedisClaims implements Claims {
  constructor(
    private readonly commands: () => Promise<ClaimCommands>,
    private readonly prefix: string,
    /** How long a claim lasts unless released: the longest another replica waits for a claimant that died. */
    private readonly ttlMs: number,
  ) {}

  async claim(keys: readonly string[]): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const redis = await this.commands();
    const held = (await redis.eval(CLAIM, { keys: this.keysOf(keys), arguments: [HOLDER_ID, String(this.ttlMs)] })) as number[];
    return keys.map((_, index) => Number(held[index]) === 1);
  }

  async release(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const redis = await this.commands();
    await redis.eval(RELEASE, { keys: this.keysOf(keys), arguments: [HOLDER_ID] });
  }

  private keysOf(keys: readonly string[]): string[] {
    return keys.map((key) => `${this.prefix}${key}`);
  }
}
