import { createHash } from 'node:crypto';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import type { CompanyRecord } from '../../domain/company.ts';
import type { CompanyAlert } from '../contract.ts';

/** What the monitoring job reports about a watched company (schema/monitoring.graphql, CompanyChangeType). */
export const CHANGE_TYPES = ['STATUS_CHANGED', 'HEAD_CHANGED', 'ADDRESS_CHANGED', 'NAME_CHANGED', 'RISK_LEVEL_CHANGED'] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

/** A change the job detected: an alert whose type is one of ours. */
export type CompanyChange = CompanyAlert & { type: ChangeType };

/** The most changes kept per company (the oldest go first), and the most companyChanges answers. */
export const MAX_CHANGES_PER_COMPANY = 500;

/**
 * The last known state of a watched company, in the terms its changes are reported in. `riskLevel` undefined: never
 * computed (no graph in process, or the risk module is not there); null: the company had no risk profile.
 */
export interface CompanySnapshot {
  status: string | null;
  head: string | null;
  address: string | null;
  name: string | null;
  riskLevel?: string | null;
  /** When it was taken, epoch ms. */
  at: number;
}

/** The compared parts of a company's current registration: status code, first head, legal address, short name. */
export function snapshotOf(record: CompanyRecord, at: number): CompanySnapshot {
  return {
    status: record.status.code,
    head: record.heads[0]?.fio ?? null,
    address: record.legalAddress?.oneLine ?? null,
    name: record.shortName ?? record.fullName,
    at,
  };
}

const COMPARED: ReadonlyArray<[ChangeType, keyof CompanySnapshot]> = [
  ['STATUS_CHANGED', 'status'],
  ['HEAD_CHANGED', 'head'],
  ['ADDRESS_CHANGED', 'address'],
  ['NAME_CHANGED', 'name'],
  ['RISK_LEVEL_CHANGED', 'riskLevel'],
];

/**
 * THE idempotency id of a change: the same company, type and new value on the same day (the feed's Moscow day) is the
 * same change, however often or by whichever replica it is detected. sha256, 32 hex digits.
 */
export function changeId(inn: string, type: ChangeType, after: string | null, day: string): string {
  return createHash('sha256')
    .update(`${inn}\n${type}\n${after ?? ''}\n${day}`)
    .digest('hex')
    .slice(0, 32);
}

export interface DiffContext {
  /** The feed's day (YYYY-MM-DD) the company was listed on. */
  day: string;
  detectedAt: string;
  source: string;
}

/** The changes between two states of a company; a part unknown on either side (risk never computed) is not compared. */
export function diffSnapshots(inn: string, before: CompanySnapshot, after: CompanySnapshot, context: DiffContext): CompanyChange[] {
  const changes: CompanyChange[] = [];
  for (const [type, part] of COMPARED) {
    const was = before[part] as string | null | undefined;
    const now = after[part] as string | null | undefined;
    if (was === undefined || now === undefined || was === now) continue;
    changes.push({
      id: changeId(inn, type, now, context.day),
      inn,
      type,
      before: was,
      after: now,
      companyName: after.name ?? before.name,
      detectedAt: context.detectedAt,
      source: context.source,
    });
  }
  return changes;
}

/**
 * The recorded changes of each company and its last known state, in the cache store (Redis when configured: every
 * replica answers companyChanges alike; memory otherwise), kept ALERT_RETENTION. Written by the monitoring job only
 * (one replica at a time holds its lease), so a read-modify-write of a company's list loses nothing.
 */
export class ChangeStore {
  constructor(
    private readonly cache: CacheStore,
    private readonly retentionMs: number,
    private readonly now: () => number,
  ) {}

  /** Newest first, detected at or after `since` (ISO 8601), at most `first`. */
  async list(inn: string, since: string | undefined, first: number): Promise<CompanyChange[]> {
    const [stored] = await this.cache.getMany<CompanyChange[]>([changesKey(inn)]);
    const floor = Math.max(this.now() - this.retentionMs, since ? Date.parse(since) : -Infinity);
    return (Array.isArray(stored) ? stored : []).filter((change) => Date.parse(change.detectedAt) >= floor).slice(0, first);
  }

  /** The changes not recorded yet (a change detected again has the same id). */
  async unrecorded(changes: readonly CompanyChange[]): Promise<CompanyChange[]> {
    if (changes.length === 0) return [];
    const inns = [...new Set(changes.map((change) => change.inn))];
    const stored = await this.cache.getMany<CompanyChange[]>(inns.map(changesKey));
    const known = new Set(stored.flatMap((list) => (Array.isArray(list) ? list.map((change) => change.id) : [])));
    return changes.filter((change) => !known.has(change.id));
  }

  /** Records changes; answers those not recorded before (a change detected again has the same id). */
  async record(changes: readonly CompanyChange[]): Promise<CompanyChange[]> {
    if (changes.length === 0) return [];
    const byInn = new Map<string, CompanyChange[]>();
    for (const change of changes) byInn.set(change.inn, [...(byInn.get(change.inn) ?? []), change]);
    const inns = [...byInn.keys()];
    const stored = await this.cache.getMany<CompanyChange[]>(inns.map(changesKey));
    const floor = this.now() - this.retentionMs;
    const fresh: CompanyChange[] = [];
    const writes = inns.map((inn, index) => {
      const kept = (Array.isArray(stored[index]) ? stored[index] : []).filter((change) => Date.parse(change.detectedAt) >= floor);
      const known = new Set(kept.map((change) => change.id));
      const added: CompanyChange[] = [];
      for (const change of byInn.get(inn)!) {
        if (known.has(change.id)) continue;
        known.add(change.id);
        added.push(change);
      }
      fresh.push(...added);
      // Newest first: the ones detected now go in front, in the order detected.
      return { key: changesKey(inn), value: [...added, ...kept].slice(0, MAX_CHANGES_PER_COMPANY), ttlMs: this.retentionMs };
    });
    await this.cache.setMany(writes);
    return fresh;
  }

  async snapshots(inns: readonly string[]): Promise<(CompanySnapshot | undefined)[]> {
    const stored = await this.cache.getMany<CompanySnapshot>(inns.map(snapshotKey));
    return stored.map((snapshot) => (snapshot && typeof snapshot.at === 'number' ? snapshot : undefined));
  }

  async saveSnapshots(entries: ReadonlyArray<readonly [string, CompanySnapshot]>): Promise<void> {
    await this.cache.setMany(entries.map(([inn, snapshot]) => ({ key: snapshotKey(inn), value: snapshot, ttlMs: this.retentionMs })));
  }
}

const changesKey = (inn: string) => `${CACHE_KEY_VERSION}:monitoring:changes:${inn}`;
const snapshotKey = (inn: string) => `${CACHE_KEY_VERSION}:monitoring:snapshot:${inn}`;
