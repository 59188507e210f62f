import { pickCurrent, type CompanyRecord } from '../../domain/company.ts';
import type { Logger } from '../../observability/logger.ts';
import type { FocusBatchers } from '../kontur-focus/index.ts';
import type { ModuleRuntime } from '../contract.ts';
import { diffSnapshots, snapshotOf, type ChangeStore, type CompanyChange, type CompanySnapshot } from './changes.ts';
import type { AlertDispatcher } from './delivery.ts';

/** The risk level of companies through the graph in process; a company without a profile is absent. */
export type RiskReader = (inns: readonly string[]) => Promise<Map<string, string | null>>;

const RISK_QUERY = `query MonitoringRiskLevels($inns: [String!]!) { companies(inns: $inns) { inn risk { level } } }`;
/** INNs per operation: 100 is one req and one analytics call when nothing is cached, well within any cost limit. */
const RISK_CHUNK = 100;

/**
 * The risk level through the graph (ModuleRuntime.execute): the same loaders, cache and risk policy as any query.
 * A graph without the risk module, or a failed operation, answers what it could (logged): those companies' levels
 * stay unknown, and no RISK_LEVEL_CHANGED is reported for them.
 */
export function riskReader(runtime: ModuleRuntime, logger: Logger): RiskReader {
  return async (inns) => {
    const levels = new Map<string, string | null>();
    for (let start = 0; start < inns.length; start += RISK_CHUNK) {
      type Answer = { companies: Array<{ inn: string; risk: { level: string } | null } | null> };
      const result = await runtime.execute<Answer>(RISK_QUERY, { inns: inns.slice(start, start + RISK_CHUNK) }).catch((error: unknown) => {
        logger.warn({ err: { message: (error as Error)?.message } }, 'monitoring: risk levels not read');
        return { data: undefined, errors: undefined };
      });
      if (result.errors?.length)
        logger.warn({ errors: result.errors.length, code: result.errors[0]!.extensions?.code }, 'monitoring: risk levels not all read');
      // A company whose profile failed (an error on its path) stays unknown: a null there is not a level of "none".
      const failed = new Set((result.errors ?? []).map((error) => (error as { path?: ReadonlyArray<string | number> }).path?.[1]));
      (result.data?.companies ?? []).forEach((company, index) => {
        if (company && !failed.has(index)) levels.set(company.inn, company.risk?.level ?? null);
      });
    }
    return levels;
  };
}

/** What `prepare` learnt before the eviction: each tracked company's last known state. */
export interface Prepared {
  before: Map<string, CompanySnapshot>;
}

export interface TrackerDeps {
  /** The cached fetch of req (the mapped CompanyRecord), the one the graph reads. */
  req: FocusBatchers['req'];
  store: ChangeStore;
  dispatcher: AlertDispatcher;
  logger: Logger;
  now: () => number;
}

/**
 * Turns the monitoring job's evictions into changes. Before a changed company is evicted, its last known state is
 * read — the snapshot kept from the last time (ALERT_RETENTION), else its cached req record (nothing cached and no
 * snapshot: the company is not tracked, nothing is reported for it) — and saved at once, so a run that fails after
 * the eviction still knows it next time; after the eviction its req is fetched again through the same cached fetch
 * (cached again), the two are compared, and each difference is recorded and handed to every alert sink. The risk level
 * is compared too when the graph in process is known (`useRuntime`): read before and after, and kept with the snapshot.
 */
export class ChangeTracker {
  private risk: RiskReader | undefined;

  constructor(private readonly deps: TrackerDeps) {}

  /** From now on risk levels are read through the graph in process (the module's start), or by `reader` (tests). */
  useRuntime(runtime: ModuleRuntime, reader: RiskReader = riskReader(runtime, this.deps.logger)): void {
    this.risk = reader;
  }

  /** Before eviction: the last known state of the changed companies that are tracked, saved. */
  async prepare(inns: readonly string[]): Promise<Prepared> {
    const { store, req } = this.deps;
    const [snapshots, cached] = await Promise.all([store.snapshots(inns), req.stored(inns)]);
    const before = new Map<string, CompanySnapshot>();
    const toSave: Array<[string, CompanySnapshot]> = [];
    inns.forEach((inn, index) => {
      const snapshot = snapshots[index];
      if (snapshot) return before.set(inn, snapshot);
      const entry = cached[index];
      const record = currentOf(entry?.value);
      if (!entry || !record) return;
      const taken = snapshotOf(record, entry.fetchedAt);
      before.set(inn, taken);
      toSave.push([inn, taken]);
    });
    // The risk level is not read here: through the graph it may read the registry again (status fields refetch an
    // entry older than CACHE_TTL_STATUS), and would then be the level after the change. The level before is the one
    // kept with the snapshot (read when the company was watched, and after every run).
    await store.saveSnapshots(toSave);
    return { before };
  }

  /**
   * After eviction: the tracked companies fetched again, compared, the changes queued for every sink and recorded, the
   * new state saved. A failed fetch fails the run (the day is read again next interval, against the saved state).
   */
  async complete(prepared: Prepared, day: string, source: (inn: string) => string): Promise<CompanyChange[]> {
    const { store, req, dispatcher, logger, now } = this.deps;
    const inns = [...prepared.before.keys()];
    if (inns.length === 0) return [];
    const entries = await req.getMany(inns, { maxAgeMs: 0 });
    const failed = entries.find((entry) => entry instanceof Error);
    if (failed) throw failed;
    const levels = this.risk ? await this.risk(inns) : undefined;
    const detectedAt = new Date(now()).toISOString();
    const changes: CompanyChange[] = [];
    const snapshots: Array<[string, CompanySnapshot]> = [];
    inns.forEach((inn, index) => {
      const record = currentOf((entries[index] as Exclude<(typeof entries)[number], Error>).value);
      // The registry no longer knows it: nothing to compare with; its last known state stays.
      if (!record) return;
      const before = prepared.before.get(inn)!;
      const after: CompanySnapshot = {
        ...snapshotOf(record, now()),
        ...(levels?.has(inn) ? { riskLevel: levels.get(inn)! } : before.riskLevel !== undefined ? { riskLevel: before.riskLevel } : {}),
      };
      changes.push(...diffSnapshots(inn, before, after, { day, detectedAt, source: source(inn) }));
      snapshots.push([inn, after]);
    });
    // Queued before recorded: a run that dies in between queues them again next time (the queue deduplicates by id);
    // one recorded is never queued again.
    const fresh = await store.unrecorded(changes);
    await dispatcher.emit(fresh);
    await store.record(fresh);
    await store.saveSnapshots(snapshots);
    for (const change of fresh) dispatcher.metrics.detected.inc({ type: change.type });
    if (fresh.length > 0)
      logger.info({ changes: fresh.length, companies: new Set(fresh.map((c) => c.inn)).size, day }, 'monitoring: changes detected');
    return fresh;
  }

  /**
   * Companies just watched and not tracked yet: their cached state (no vendor call) becomes the baseline their
   * changes are compared with. A company tracked already keeps its state (a record fetched since may already show the
   * change the next run must report). Their risk level is then read in the background and kept with it.
   */
  async baseline(inns: readonly string[]): Promise<void> {
    const { store, req, logger } = this.deps;
    const [snapshots, cached] = await Promise.all([store.snapshots(inns), req.stored(inns)]);
    const toSave: Array<[string, CompanySnapshot]> = [];
    inns.forEach((inn, index) => {
      const entry = cached[index];
      const record = currentOf(entry?.value);
      if (entry && record && !snapshots[index]) toSave.push([inn, snapshotOf(record, entry.fetchedAt)]);
    });
    await store.saveSnapshots(toSave);
    if (this.risk && toSave.length > 0)
      void this.keepRiskLevels(toSave).catch((error: unknown) =>
        logger.warn({ err: { message: (error as Error)?.message } }, 'monitoring: baseline risk levels not read'),
      );
  }

  /** The risk level of freshly baselined companies, kept with their state (unless a run replaced it meanwhile). */
  private async keepRiskLevels(saved: ReadonlyArray<[string, CompanySnapshot]>): Promise<void> {
    const inns = saved.map(([inn]) => inn);
    const levels = await this.risk!(inns);
    const current = await this.deps.store.snapshots(inns);
    const updates: Array<[string, CompanySnapshot]> = [];
    saved.forEach(([inn, snapshot], index) => {
      const now = current[index];
      if (levels.has(inn) && now && now.at === snapshot.at && now.riskLevel === undefined)
        updates.push([inn, { ...now, riskLevel: levels.get(inn)! }]);
    });
    await this.deps.store.saveSnapshots(updates);
  }
}

function currentOf(records: readonly CompanyRecord[] | undefined): CompanyRecord | undefined {
  return records ? pickCurrent(records) : undefined;
}
