import DataLoader from 'dataloader';
import pLimit, { type LimitFunction } from 'p-limit';
import { CACHE_KEY_VERSION, type CacheStore } from '../../cache/store.ts';
import { badUserInput, VendorError } from '../../errors.ts';
import type { Fetched } from '../../cache/cached-fetch.ts';
import type { OperationStats } from '../../loaders/operation-stats.ts';
import type { Logger } from '../../observability/logger.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { JumpRequestError, type JumpClient } from './vendor/client.ts';
import type { JumpContractor, JumpContractorInput, JumpPayment, JumpSelfEmployed } from './vendor/schemas.ts';
import { notFound, outcomeUnknown, rateLimited } from './errors.ts';
import type { CreatePaymentOutcome, GuardMode, PaymentModel, PayoutFinding } from './model.ts';
import { PaymentStore, type PaymentStoreSettings } from './payment-store.ts';
import { parseScopes } from './auth.ts';

export interface PayoutsSettings extends PaymentStoreSettings {
  guard: GuardMode;
  /** The header carrying the caller's scopes (AUTH_SCOPES_HEADER), lower case. */
  scopesHeader: string;
  /** Default legal entity (agent_id) of new contractors (JUMP_AGENT_ID). */
  agentId: number | undefined;
  /** Default contractor group (JUMP_GROUP_ID); else the vendor's default group. */
  groupId: number | undefined;
  /** How long contractor cards are cached (CACHE_TTL_CONTRACTORS). */
  contractorsTtlMs: number;
  /** Jump.Finance calls in flight at once per process (JUMP_MAX_CONCURRENCY). */
  maxConcurrency: number;
}

export interface PayoutsDeps {
  cache: CacheStore;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
}

/** The vendor's rule for POST …/selfemployer/sync: one per 30 s per contractor. */
export const SELF_EMPLOYED_SYNC_INTERVAL_MS = 30_000;

/** What the subgraph remembers about an idempotency key (customer_payment_id), in the shared cache store. */
export interface PaymentKeyRecord {
  /** pending: a POST was (or is being) sent and its outcome is not known yet; created: the payout exists. */
  state: 'pending' | 'created';
  paymentId?: number;
  contractorId: number;
  amount: string;
  serviceName: string | null;
  at: number;
}

/** What one payout request asks for, validated. */
export interface PaymentRequest {
  contractorId: number;
  /** Two-decimal text, positive. */
  amount: string;
  /** The idempotency key: the client's, or one derived from the operation (derivedCustomerPaymentId). */
  customerPaymentId: string;
  purpose: string | undefined;
  serviceName: string | undefined;
  requisiteId: number | undefined;
}

/** The payouts part of one GraphQL operation's context. */
export interface PayoutsRequest {
  service: PayoutsService;
  /** The caller's scopes, from AUTH_SCOPES_HEADER. */
  scopes: ReadonlySet<string>;
  /** Contractor cards by id, deduplicated within the operation (null = the vendor has none). */
  contractors: DataLoader<number, JumpContractor | null>;
  stats: OperationStats | undefined;
}

/** How long a key's record is kept: long enough for any client retry, and then some. */
const KEY_RECORD_TTL_MS = 30 * 86_400_000;

/**
 * Process-wide payouts logic over the Jump.Finance client: contractor cards (cached, coalesced), the payout store
 * with its polling etiquette, idempotent payout creation, the self-employed sync rule, and defaults the vendor
 * needs (agent, group).
 */
export class PayoutsService {
  readonly payments: PaymentStore;
  readonly limit: LimitFunction;
  private readonly cardsInFlight = new Map<number, Promise<JumpContractor | null>>();
  /** In-process memory of the last sync per contractor; the shared store holds it for the other replicas. */
  private readonly lastSync = new Map<number, number>();
  /** A sync being sent per contractor: concurrent requests share it rather than meet the vendor's 429. */
  private readonly syncsInFlight = new Map<number, Promise<JumpSelfEmployed>>();
  /** One payout request per key at a time in this process; a concurrent retry waits, then replays. */
  private readonly creating = new Map<string, Promise<unknown>>();
  private defaults: Promise<{ agentId: number | undefined; groupId: number | undefined }> | undefined;

  constructor(
    readonly client: JumpClient,
    private readonly deps: PayoutsDeps,
    readonly settings: PayoutsSettings,
  ) {
    this.limit = pLimit(settings.maxConcurrency);
    this.payments = new PaymentStore(client, deps.cache, deps.metrics, deps.logger, deps.now, settings);
  }

  get now(): () => number {
    return this.deps.now;
  }

  forRequest(header: (name: string) => string | undefined, stats?: OperationStats): PayoutsRequest {
    return {
      service: this,
      scopes: parseScopes(header(this.settings.scopesHeader)),
      contractors: new DataLoader<number, JumpContractor | null>(
        (ids) => Promise.all(ids.map((id) => this.contractorCard(id, stats).catch((error: unknown) => error as Error))),
        { maxBatchSize: 100 },
      ),
      stats,
    };
  }

  // ─── Contractors ─────────────────────────────────────────────────────────────────────────────

  private contractorKey(id: number): string {
    return `${CACHE_KEY_VERSION}:jump:contractor:${id}`;
  }

  /** A contractor card from the cache (CACHE_TTL_CONTRACTORS) or the vendor; concurrent askers share one call. */
  async contractorCard(id: number, stats?: OperationStats): Promise<JumpContractor | null> {
    const [cached] = await this.deps.cache.getMany<Fetched<JumpContractor>>([this.contractorKey(id)]);
    if (cached && typeof cached.fetchedAt === 'number' && Math.max(0, this.now() - cached.fetchedAt) < this.settings.contractorsTtlMs) {
      this.count('jump:contractors.get', 'hit', stats);
      return cached.value;
    }
    this.count('jump:contractors.get', 'miss', stats);
    const running = this.cardsInFlight.get(id);
    if (running) {
      this.deps.metrics.coalesced.inc({ method: 'jump:contractors.get' });
      if (stats) stats.coalesced += 1;
      return running;
    }
    if (stats) stats.vendorCalls += 1;
    const fetching = this.limit(() => this.client.getContractor(id))
      .then(async (card) => {
        if (card) await this.rememberContractors([card]);
        return card;
      })
      .finally(() => this.cardsInFlight.delete(id));
    this.cardsInFlight.set(id, fetching);
    return fetching;
  }

  /** Cards just read or written (lists, upserts) are cached, so their next reads cost nothing. */
  async rememberContractors(cards: readonly JumpContractor[]): Promise<void> {
    const at = this.now();
    await this.deps.cache.setMany(
      cards.map((card) => ({ key: this.contractorKey(card.id), value: { fetchedAt: at, value: card }, ttlMs: this.settings.contractorsTtlMs })),
    );
  }

  async forgetContractor(id: number): Promise<void> {
    await this.deps.cache.deleteMany([this.contractorKey(id)]);
  }

  /** The agent and group a contractor is created with when the input names none. */
  async contractorDefaults(agentId: number | undefined, groupId: number | undefined): Promise<{ agentId: number; groupId: number }> {
    const needsAgent = agentId === undefined && this.settings.agentId === undefined;
    const needsGroup = groupId === undefined && this.settings.groupId === undefined;
    let vendor: { agentId: number | undefined; groupId: number | undefined } = { agentId: undefined, groupId: undefined };
    if (needsAgent || needsGroup) {
      // Read once per process (a failure is not remembered).
      this.defaults ??= this.vendorDefaults().catch((error: unknown) => {
        this.defaults = undefined;
        throw error;
      });
      vendor = await this.defaults;
    }
    const agent = agentId ?? this.settings.agentId ?? vendor.agentId;
    const group = groupId ?? this.settings.groupId ?? vendor.groupId;
    if (agent === undefined) {
      throw badUserInput('"agentId" is required: Jump.Finance has several legal entities and JUMP_AGENT_ID is not set', { argument: 'agentId' });
    }
    if (group === undefined) throw badUserInput('"groupId" is required: Jump.Finance reports no default group and JUMP_GROUP_ID is not set', { argument: 'groupId' });
    return { agentId: agent, groupId: group };
  }

  /** The vendor's default group, and its only legal entity when it has exactly one. */
  private async vendorDefaults(): Promise<{ agentId: number | undefined; groupId: number | undefined }> {
    const [groups, agents] = await Promise.all([this.limit(() => this.client.listGroups()), this.limit(() => this.client.listAgents())]);
    return {
      groupId: groups.items.find((group) => group.is_default)?.id,
      agentId: agents.items.length === 1 ? agents.items[0]!.id : undefined,
    };
  }

  async upsertContractor(input: Omit<JumpContractorInput, 'agent_id' | 'group_id'> & { agent_id?: number; group_id?: number }): Promise<JumpContractor> {
    const { agentId, groupId } = await this.contractorDefaults(input.agent_id, input.group_id);
    const card = await this.client.upsertContractor({ ...input, agent_id: agentId, group_id: groupId });
    await this.rememberContractors([card]);
    return card;
  }

  async updateContractor(id: number, input: Omit<JumpContractorInput, 'agent_id' | 'group_id'> & { agent_id?: number; group_id?: number }): Promise<JumpContractor> {
    const { agentId, groupId } = await this.contractorDefaults(input.agent_id, input.group_id);
    try {
      const card = await this.client.updateContractor(id, { ...input, agent_id: agentId, group_id: groupId });
      await this.rememberContractors([card]);
      return card;
    } catch (error) {
      if (error instanceof JumpRequestError && error.status === 404) throw notFound(`Jump.Finance has no contractor ${id}`, { contractorId: String(id) });
      throw error;
    }
  }

  async deleteContractor(id: number): Promise<boolean> {
    const deleted = await this.client.deleteContractor(id);
    await this.forgetContractor(id);
    return deleted;
  }

  // ─── Self-employed ───────────────────────────────────────────────────────────────────────────

  private syncKey(contractorId: number): string {
    return `${CACHE_KEY_VERSION}:jump:selfemployer-sync:${contractorId}`;
  }

  /**
   * POST …/selfemployer/sync within the vendor's rule (one per 30 s per contractor), counted from the last sync that
   * any replica (the shared store) or this one (memory) got through: inside the window the answer is RATE_LIMITED
   * with the seconds to wait, and nothing is sent. Only a sync the vendor carried out — or the vendor's own 429, whose
   * Retry-After then sets the window — starts a window: a sync that failed (404, 5xx, timeout, a garbled answer) did
   * not reach the tax service, so the next request may ask the vendor at once. Concurrent requests for one contractor
   * in this process share one call.
   */
  async syncSelfEmployed(contractorId: number, stats?: OperationStats): Promise<JumpSelfEmployed> {
    const running = this.syncsInFlight.get(contractorId);
    if (running) {
      this.deps.metrics.coalesced.inc({ method: 'jump:selfemployer.sync' });
      if (stats) stats.coalesced += 1;
      return running;
    }
    const syncing = this.syncOnce(contractorId, stats).finally(() => this.syncsInFlight.delete(contractorId));
    this.syncsInFlight.set(contractorId, syncing);
    return syncing;
  }

  private async syncOnce(contractorId: number, stats: OperationStats | undefined): Promise<JumpSelfEmployed> {
    const now = this.now();
    const [stored] = await this.deps.cache.getMany<{ at: number }>([this.syncKey(contractorId)]);
    const last = Math.max(this.lastSync.get(contractorId) ?? -Infinity, typeof stored?.at === 'number' ? stored.at : -Infinity);
    const waitMs = last + SELF_EMPLOYED_SYNC_INTERVAL_MS - now;
    if (waitMs > 0) {
      const seconds = Math.ceil(waitMs / 1000);
      throw rateLimited(
        `Jump.Finance allows one self-employed status check per 30 s per contractor; try again in ${seconds} s`,
        seconds,
        { contractorId: String(contractorId) },
      );
    }
    if (stats) stats.vendorCalls += 1;
    try {
      const state = await this.limit(() => this.client.syncSelfEmployed(contractorId));
      await this.startSyncWindow(contractorId, now);
      return state;
    } catch (error) {
      if (error instanceof VendorError && error.code === 'VENDOR_RATE_LIMITED') {
        const retryAfter = typeof error.extensions.retryAfterSeconds === 'number' ? error.extensions.retryAfterSeconds : SELF_EMPLOYED_SYNC_INTERVAL_MS / 1000;
        // The vendor's own window: the next local answer counts down to the end of its Retry-After.
        await this.startSyncWindow(contractorId, now + retryAfter * 1000 - SELF_EMPLOYED_SYNC_INTERVAL_MS);
        throw rateLimited('Jump.Finance refused the self-employed status check: it was asked too recently', retryAfter, {
          contractorId: String(contractorId),
        });
      }
      if (error instanceof JumpRequestError && error.status === 404) {
        throw notFound(`Jump.Finance has no self-employed contractor ${contractorId}`, { contractorId: String(contractorId) });
      }
      throw error;
    }
  }

  /** Remembers a window start (memory and the shared store), kept until the window is surely over. */
  private async startSyncWindow(contractorId: number, at: number): Promise<void> {
    this.lastSync.set(contractorId, Math.max(at, this.lastSync.get(contractorId) ?? -Infinity));
    const ttlMs = Math.max(2 * SELF_EMPLOYED_SYNC_INTERVAL_MS, at + 2 * SELF_EMPLOYED_SYNC_INTERVAL_MS - this.now());
    await this.deps.cache.setMany([{ key: this.syncKey(contractorId), value: { at }, ttlMs }]);
  }

  // ─── Payouts ─────────────────────────────────────────────────────────────────────────────────

  private keyRecordKey(customerPaymentId: string): string {
    return `${CACHE_KEY_VERSION}:jump:customer-payment:${Buffer.from(customerPaymentId).toString('base64url')}`;
  }

  async keyRecord(customerPaymentId: string): Promise<PaymentKeyRecord | undefined> {
    const [record] = await this.deps.cache.getMany<PaymentKeyRecord>([this.keyRecordKey(customerPaymentId)]);
    return record && (record.state === 'pending' || record.state === 'created') ? record : undefined;
  }

  private async saveKeyRecord(customerPaymentId: string, record: PaymentKeyRecord): Promise<void> {
    await this.deps.cache.setMany([{ key: this.keyRecordKey(customerPaymentId), value: record, ttlMs: KEY_RECORD_TTL_MS }]);
  }

  /** A payout by our key: through its stored id when known (the polling etiquette applies), else one lookup. */
  async paymentByCustomerId(customerPaymentId: string, stats?: OperationStats): Promise<PaymentModel | null> {
    const record = await this.keyRecord(customerPaymentId);
    if (record?.paymentId !== undefined) return this.payments.get(record.paymentId, stats);
    if (stats) stats.vendorCalls += 1;
    const payment = await this.limit(() => this.client.getPaymentByCustomerId(customerPaymentId));
    if (!payment) return null;
    await this.recordCreated(customerPaymentId, payment, record?.serviceName ?? null);
    return this.payments.put(payment);
  }

  private async recordCreated(customerPaymentId: string, payment: JumpPayment, serviceName: string | null): Promise<void> {
    await this.saveKeyRecord(customerPaymentId, {
      state: 'created',
      paymentId: payment.id,
      contractorId: payment.contractor?.id ?? 0,
      amount: payment.amount,
      serviceName,
      at: this.now(),
    });
  }

  /**
   * Creates a payout at most once per idempotency key (customer_payment_id, the client's or derived from the operation):
   * 1. a key this subgraph already saw create a payout answers that payout (`replayed`), with no POST;
   * 2. a key whose earlier POST had an unknown outcome is looked up first (GET by customer_payment_id);
   * 3. the counterparty guard runs (`check`: warnings, or COUNTERPARTY_CHECK_FAILED in block mode);
   * 4. the key is recorded as pending, then POST /payments is sent — never retried blindly: after a timeout, a lost
   *    connection or a 5xx the key is looked up; found → that payout; not found → one more POST (the vendor refuses
   *    a used key, so even a late first POST cannot pay twice); the lookup failing too → an error saying the
   *    outcome is unknown and that retrying with the same key is safe;
   * 5. a 422 for a used key (another replica, a restart, a lost record) reads the payout by the key.
   * A key already used for a different contractor or amount is refused.
   */
  async createPayment(request: PaymentRequest, check: () => Promise<PayoutFinding[]>, stats?: OperationStats): Promise<CreatePaymentOutcome> {
    const { customerPaymentId } = request;
    const previous = this.creating.get(customerPaymentId) ?? Promise.resolve();
    const mine = previous.catch(() => undefined).then(() => this.createOnce(request, customerPaymentId, check, stats));
    this.creating.set(customerPaymentId, mine);
    try {
      return await mine;
    } finally {
      if (this.creating.get(customerPaymentId) === mine) this.creating.delete(customerPaymentId);
    }
  }

  private async createOnce(
    request: PaymentRequest,
    customerPaymentId: string,
    check: () => Promise<PayoutFinding[]>,
    stats: OperationStats | undefined,
  ): Promise<CreatePaymentOutcome> {
    const record = await this.keyRecord(customerPaymentId);
    if (record?.state === 'created' && record.paymentId !== undefined) {
      assertSameRequest(customerPaymentId, { contractorId: record.contractorId, amount: record.amount, paymentId: record.paymentId }, request);
      const payment = await this.payments.get(record.paymentId, stats);
      if (payment) return { payment, customerPaymentId, replayed: true, warnings: [] };
    }
    if (record?.state === 'pending') {
      // An earlier request with this key ended without a known outcome: find out before sending anything.
      const existing = await this.lookUp(customerPaymentId, stats).catch((error: unknown) => {
        throw error instanceof VendorError ? outcomeUnknown(customerPaymentId, error) : error;
      });
      if (existing) return this.settle(customerPaymentId, existing, request, true);
    }
    const warnings = await check();
    await this.saveKeyRecord(customerPaymentId, {
      state: 'pending',
      contractorId: request.contractorId,
      amount: request.amount,
      serviceName: request.serviceName ?? null,
      at: this.now(),
    });
    const { payment, replayed } = await this.post(request, customerPaymentId, stats);
    const outcome = await this.settle(customerPaymentId, payment, request, replayed);
    return { ...outcome, warnings };
  }

  private async settle(customerPaymentId: string, payment: JumpPayment, request: PaymentRequest, replayed: boolean): Promise<CreatePaymentOutcome> {
    assertSameRequest(customerPaymentId, { contractorId: payment.contractor?.id, amount: payment.amount, paymentId: payment.id }, request);
    await this.recordCreated(customerPaymentId, payment, request.serviceName ?? null);
    return { payment: await this.payments.put(payment), customerPaymentId, replayed, warnings: [] };
  }

  /** GET by customer_payment_id; null when no payout has the key. */
  private lookUp(customerPaymentId: string, stats: OperationStats | undefined): Promise<JumpPayment | null> {
    if (stats) stats.vendorCalls += 1;
    return this.limit(() => this.client.getPaymentByCustomerId(customerPaymentId));
  }

  private async post(request: PaymentRequest, customerPaymentId: string, stats: OperationStats | undefined): Promise<{ payment: JumpPayment; replayed: boolean }> {
    const body = {
      contractor_id: request.contractorId,
      amount: request.amount,
      customer_payment_id: customerPaymentId,
      ...(request.purpose !== undefined ? { payment_purpose: request.purpose } : {}),
      ...(request.serviceName !== undefined ? { service_name: request.serviceName } : {}),
      ...(request.requisiteId !== undefined ? { requisite_id: request.requisiteId } : {}),
    };
    for (let attempt = 1; ; attempt++) {
      try {
        if (stats) stats.vendorCalls += 1;
        return { payment: await this.limit(() => this.client.createPayment(body)), replayed: false };
      } catch (error) {
        if (error instanceof JumpRequestError && error.status === 422 && error.concerns('customer_payment_id')) {
          // The key is taken: by our own earlier request (its answer lost, or another replica's) — read that payout.
          const existing = await this.lookUp(customerPaymentId, stats).catch((lookupError: unknown) => {
            throw lookupError instanceof VendorError ? outcomeUnknown(customerPaymentId, lookupError) : lookupError;
          });
          if (existing) return { payment: existing, replayed: true };
          throw error;
        }
        if (!isOutcomeUnknown(error)) {
          // Refused. The vendor's wording of "key already used" is unconfirmed, so any refusal is checked against the
          // key before it is freed: an existing payout under it is that payout; otherwise none exists.
          if (error instanceof JumpRequestError && [400, 409, 422].includes(error.status)) {
            let existing: JumpPayment | null;
            try {
              existing = await this.lookUp(customerPaymentId, stats);
            } catch {
              // A failed or garbled lookup is not "none exists": the key stays pending, so a retry looks it up first.
              throw error;
            }
            if (existing) return { payment: existing, replayed: true };
          }
          await this.deps.cache.deleteMany([this.keyRecordKey(customerPaymentId)]);
          throw error;
        }
        this.deps.logger.warn(
          { vendor: 'jump-finance', customerPaymentId, attempt, err: error },
          'payout request outcome unknown; looking the key up before anything is sent again',
        );
        let existing: JumpPayment | null;
        try {
          existing = await this.lookUp(customerPaymentId, stats);
        } catch (lookupError) {
          throw outcomeUnknown(customerPaymentId, lookupError instanceof VendorError ? lookupError : (error as VendorError));
        }
        if (existing) return { payment: existing, replayed: false };
        // Not created: one more POST with the same key is safe (the vendor refuses a used key).
        if (attempt >= 2) throw outcomeUnknown(customerPaymentId, error as VendorError);
      }
    }
  }

  /**
   * Repeats a failed payout when the vendor allows it (abilities.can_repeat); never retried automatically.
   * A repeat is a payout too: the counterparty guard runs first (`check` throws in block mode).
   */
  async repeatPayment(id: number, check: (contractorId: number) => Promise<unknown>, stats?: OperationStats): Promise<PaymentModel> {
    const current = await this.payments.get(id, stats);
    if (!current) throw notFound(`Jump.Finance has no payout ${id}`, { paymentId: String(id) });
    const contractorId = current.value.contractor?.id;
    if (contractorId !== undefined && contractorId !== null) await check(Number(contractorId));
    if (current.value.abilities && !current.value.abilities.can_repeat) {
      throw badUserInput(`Payout ${id} cannot be repeated now (status: ${current.value.status.title ?? current.value.status.id})`, {
        paymentId: String(id),
        statusId: current.value.status.id,
      });
    }
    if (stats) stats.vendorCalls += 1;
    const repeated = await this.limit(() => this.client.repeatPayment(id));
    return this.payments.put(repeated);
  }

  private count(method: string, result: 'hit' | 'miss', stats: OperationStats | undefined): void {
    this.deps.metrics.cacheLookups.inc({ method, result });
    if (stats) {
      if (result === 'hit') stats.cacheHits += 1;
      else stats.cacheMisses += 1;
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** A timeout, a lost connection, a 5xx or a garbled answer: the request may have been carried out. */
function isOutcomeUnknown(error: unknown): error is VendorError {
  return (
    error instanceof VendorError &&
    !error.extensions.circuitOpen &&
    !error.extensions.notConfigured &&
    (error.code === 'VENDOR_TIMEOUT' || error.code === 'VENDOR_UNAVAILABLE' || error.code === 'VENDOR_BAD_RESPONSE')
  );
}

/** A key names one payout: reusing it for another contractor or amount is a client bug, refused loudly. */
function assertSameRequest(
  customerPaymentId: string,
  existing: { contractorId: number | undefined; amount: string; paymentId: number },
  request: PaymentRequest,
): void {
  if (existing.contractorId === request.contractorId && existing.amount === request.amount) return;
  throw badUserInput(
    `customerPaymentId "${customerPaymentId}" was already used for payout ${existing.paymentId} ` +
      `(contractor ${existing.contractorId ?? 'unknown'}, amount ${existing.amount}); use a new key for a different payout`,
    { argument: 'customerPaymentId', reason: 'KEY_REUSED', paymentId: String(existing.paymentId) },
  );
}
