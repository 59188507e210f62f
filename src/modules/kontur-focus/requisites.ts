import type { RequisitesEntry } from '../../domain/company.ts';
import type { RequisitesSource } from '../../loaders/requisites.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { FocusBatcher, FocusEntry } from './batcher.ts';
import { companyRecordOf } from './req-mapping.ts';

const mapped = new WeakMap<FocusEntry<'req'>, RequisitesEntry>();

/** A cached `req` entry as the graph's requisites entry, mapped once per entry object. */
export function requisitesEntryOf(entry: FocusEntry<'req'>, fallbackInn?: string): RequisitesEntry {
  let result = mapped.get(entry);
  if (!result) {
    result = {
      fetchedAt: entry.fetchedAt,
      registrations: entry.value.map((record) => companyRecordOf(record, fallbackInn)),
      ...(entry.stale ? { stale: true as const, ...(entry.staleBecause ? { staleBecause: entry.staleBecause } : {}) } : {}),
    };
    mapped.set(entry, result);
  }
  return result;
}

/** Kontur.Focus as the requisites source: the req batchers, by INN and by OGRN. */
export function focusRequisitesSource(byInn: FocusBatcher<'req'>, byOgrn: FocusBatcher<'req'>): RequisitesSource {
  const load = async (
    batcher: FocusBatcher<'req'>,
    ids: readonly string[],
    maxAgeMs: number,
    stats: OperationStats | undefined,
    byInnLookup: boolean,
  ) => {
    const entries = await batcher.getMany(ids, { maxAgeMs, stats });
    return entries.map((entry, index) => (entry instanceof Error ? entry : requisitesEntryOf(entry, byInnLookup ? ids[index] : undefined)));
  };
  return {
    vendor: 'kontur-focus',
    byInn: (inns, maxAgeMs, stats) => load(byInn, inns, maxAgeMs, stats, true),
    byOgrn: (ogrns, maxAgeMs, stats) => load(byOgrn, ogrns, maxAgeMs, stats, false),
  };
}
