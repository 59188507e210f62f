import type { RequisitesEntry } from '../../domain/company.ts';
import type { RequisitesSource } from '../../loaders/requisites.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { FocusBatcher, FocusEntry } from './batcher.ts';

/** A cached `req` entry as the graph's requisites entry: its registrations were mapped when they were fetched. */
export function requisitesEntryOf(entry: FocusEntry<'req'>): RequisitesEntry {
  return {
    fetchedAt: entry.fetchedAt,
    registrations: entry.value,
    ...(entry.stale ? { stale: true as const, ...(entry.staleBecause ? { staleBecause: entry.staleBecause } : {}) } : {}),
  };
}

/** Kontur.Focus as the requisites source: the req batchers, by INN and by OGRN. */
export function focusRequisitesSource(byInn: FocusBatcher<'req'>, byOgrn: FocusBatcher<'req'>): RequisitesSource {
  const load = async (batcher: FocusBatcher<'req'>, ids: readonly string[], maxAgeMs: number, stats: OperationStats | undefined) => {
    const entries = await batcher.getMany(ids, { maxAgeMs, stats });
    return entries.map((entry) => (entry instanceof Error ? entry : requisitesEntryOf(entry)));
  };
  return {
    vendor: 'kontur-focus',
    byInn: (inns, maxAgeMs, stats) => load(byInn, inns, maxAgeMs, stats),
    byOgrn: (ogrns, maxAgeMs, stats) => load(byOgrn, ogrns, maxAgeMs, stats),
  };
}
